// Runs every scenario through the real context gathering (against the Kubernetes API stand-in) and the engine;
// with `prometheus: 'real'` the metric queries go through the stand-in's service proxy to a real Prometheus.

import { loadConfig } from '../src/config.js';
import { resolveTarget, WebhookSchema } from '../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../src/domain/catalog/index.js';
import type { MetricValues } from '../src/domain/context.js';
import { diagnose } from '../src/domain/engine.js';
import type { Finding, Signature } from '../src/domain/signature.js';
import { startKubernetesStandIn } from '../src/standins/kubernetes-api.js';
import { loadScenarios, mergeClusters } from '../src/standins/scenarios.js';
import { gatherContext } from '../src/triage/gather.js';
import { buildInspector } from '../src/wiring.js';
import { type RunningPrometheus, startPrometheus } from '../test/support/prometheus.js';

export interface ScenarioResult {
  readonly id: string;
  readonly expected: string | null;
  readonly top: Finding | undefined;
  readonly correct: boolean;
  /** A confident answer (high) that is wrong: the failure on-call cannot afford. */
  readonly confidentWrong: boolean;
  readonly clusterCalls: number;
  /** What the metric queries answered, or why they could not. */
  readonly metrics: MetricValues | string;
}

export interface AccuracyReport {
  readonly results: readonly ScenarioResult[];
  readonly top1: number;
  readonly confidentWrong: number;
  readonly meanClusterCalls: number;
}

/** Where the metric queries are answered: the stand-in's own PromQL, or a real Prometheus over the same series. */
export type PrometheusMode = 'standin' | 'real';

export async function runAccuracy(
  signatures: readonly Signature[] = BUILT_IN_SIGNATURES,
  mode: PrometheusMode = 'standin',
): Promise<AccuracyReport> {
  const scenarios = loadScenarios();
  const cluster = mergeClusters(scenarios.map((s) => s.cluster));
  let prometheus: RunningPrometheus | undefined;
  if (mode === 'real') prometheus = await startPrometheus(cluster.prometheus?.series ?? []);
  const k8s = await startKubernetesStandIn(
    prometheus ? { cluster, prometheusUrl: prometheus.url } : { cluster },
  );
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
        expected: scenario.expect.signatureId,
        top,
        correct,
        confidentWrong: !correct && top?.confidence === 'high',
        clusterCalls,
        metrics:
          context.metrics.status === 'ok'
            ? context.metrics.value
            : `${context.metrics.status}: ${context.metrics.reason}`,
      });
    }
  } finally {
    await k8s.close();
    await prometheus?.stop();
  }
  const n = Math.max(1, results.length);
  return {
    results,
    top1: results.filter((r) => r.correct).length / n,
    confidentWrong: results.filter((r) => r.confidentWrong).length,
    meanClusterCalls: results.reduce((sum, r) => sum + r.clusterCalls, 0) / n,
  };
}
