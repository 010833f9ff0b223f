// Runs every scenario through the real context gathering (against the Kubernetes API stand-in) and the engine.

import { loadConfig } from '../src/config.js';
import { resolveTarget, WebhookSchema } from '../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../src/domain/catalog/index.js';
import { diagnose } from '../src/domain/engine.js';
import type { Finding, Signature } from '../src/domain/signature.js';
import { startKubernetesStandIn } from '../src/standins/kubernetes-api.js';
import { loadScenarios, mergeClusters, SCENARIO_DIR } from '../src/standins/scenarios.js';
import { gatherContext } from '../src/triage/gather.js';
import { buildInspector } from '../src/wiring.js';

export interface ScenarioResult {
  readonly id: string;
  /** The class of mistake a field scenario probes; written scenarios have none. */
  readonly class?: string;
  readonly expected: string | null;
  readonly top: Finding | undefined;
  readonly correct: boolean;
  /** A confident answer (high) that is wrong: the failure on-call cannot afford. */
  readonly confidentWrong: boolean;
  readonly clusterCalls: number;
}

export interface AccuracyReport {
  readonly results: readonly ScenarioResult[];
  readonly top1: number;
  readonly confidentWrong: number;
  readonly meanClusterCalls: number;
}

/** Runs the scenarios of one directory (the written ones by default; FIELD_SCENARIO_DIR for the field corpus). */
export async function runAccuracy(
  signatures: readonly Signature[] = BUILT_IN_SIGNATURES,
  dir: string = SCENARIO_DIR,
): Promise<AccuracyReport> {
  const scenarios = loadScenarios(dir);
  const k8s = await startKubernetesStandIn({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
  const config = loadConfig({ CLUSTER_PROXY_URL: k8s.url, CLUSTER_CALL_TIMEOUT_MS: '2000' }, 'local');
  const inspector = buildInspector(config);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const webhook = WebhookSchema.parse(scenario.webhook);
      const alert = webhook.alerts[0];
      if (!alert) continue;
      const before = k8s.requests.length;
      const context = await gatherContext(resolveTarget(alert.labels), inspector, {
        now: () => new Date(alert.startsAt),
      });
      const clusterCalls = k8s.requests.length - before;
      const top = diagnose(alert, context, signatures)[0];
      const got = top?.signatureId ?? null;
      const correct = got === scenario.expect.signatureId;
      results.push({
        id: scenario.id,
        ...(scenario.class ? { class: scenario.class } : {}),
        expected: scenario.expect.signatureId,
        top,
        correct,
        confidentWrong: !correct && top?.confidence === 'high',
        clusterCalls,
      });
    }
  } finally {
    await k8s.close();
  }
  const n = Math.max(1, results.length);
  return {
    results,
    top1: results.filter((r) => r.correct).length / n,
    confidentWrong: results.filter((r) => r.confidentWrong).length,
    meanClusterCalls: results.reduce((sum, r) => sum + r.clusterCalls, 0) / n,
  };
}
