// Runs every scenario through the real context gathering (against the Kubernetes API stand-in) and the engine;
// with `prometheus: 'real'` the metric queries go through the stand-in's service proxy to a real Prometheus.

import { loadConfig } from '../src/config.js';
import { resolveTarget, WebhookSchema } from '../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../src/domain/catalog/index.js';
import type { MetricValues, Piece, Target, TriageContext } from '../src/domain/context.js';
import type { Finding, Signature } from '../src/domain/signature.js';
import { startKubernetesStandIn } from '../src/local/cluster/kubernetes-api.js';
import { loadScenarios, SCENARIO_DIR } from '../src/local/cluster/scenarios.js';
import { investigate } from '../src/triage/investigate.js';
import { buildInspector } from '../src/wiring.js';
import { type RunningPrometheus, startPrometheus } from '../test/support/prometheus.js';

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
  /** What the metric queries answered, or why they could not. */
  readonly metrics: MetricValues | string;
  /** The alert's family: the kind of subject it resolved to. */
  readonly family: string;
  /** The subject the alert names was resolved and read from the cluster (pod, workload, claim, node, quota). */
  readonly subjectFound: boolean;
}

/** Whether the piece of context that holds the subject itself was read. */
function subjectFound(target: Target, context: TriageContext): boolean {
  const read = (piece: Piece<unknown> | undefined) => piece?.status === 'ok';
  switch (target.kind) {
    case 'pod':
      return read(context.pod);
    case 'workload':
      return read(context.workload);
    case 'pvc':
      return read(context.claim);
    case 'node':
      return read(context.node);
    case 'namespace':
      return target.quota ? read(context.quota) : true;
    case 'cluster':
      return true;
    default:
      return false;
  }
}

export interface AccuracyReport {
  readonly results: readonly ScenarioResult[];
  readonly top1: number;
  readonly confidentWrong: number;
  readonly meanClusterCalls: number;
}

/** Where the metric queries are answered: the stand-in's own PromQL, or a real Prometheus over the same series. */
export type PrometheusMode = 'standin' | 'real';

export interface AccuracyOptions {
  readonly signatures?: readonly Signature[];
  /** Where the metric queries are answered. */
  readonly mode?: PrometheusMode;
  /** The corpus: the written scenarios by default; FIELD_SCENARIO_DIR for the field corpus. */
  readonly dir?: string;
}

export async function runAccuracy(options: AccuracyOptions = {}): Promise<AccuracyReport> {
  const { signatures = BUILT_IN_SIGNATURES, mode = 'standin', dir = SCENARIO_DIR } = options;
  const scenarios = loadScenarios(dir);
  const k8s = await startKubernetesStandIn({ cluster: {} });
  const config = loadConfig({ CLUSTER_PROXY_URL: k8s.url, CLUSTER_CALL_TIMEOUT_MS: '15000' }, 'local');
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const webhook = WebhookSchema.parse(scenario.webhook);
      const alert = webhook.alerts[0];
      if (!alert) continue;
      // Each scenario is its own cluster (and, against a real Prometheus, its own TSDB): one scenario's Services,
      // nodes or series must not become another's evidence.
      let prometheus: RunningPrometheus | undefined;
      // A scenario without series has no Prometheus at all: the stand-in answers as an unreachable one, both ways.
      if (mode === 'real' && scenario.cluster.prometheus)
        prometheus = await startPrometheus(scenario.cluster.prometheus.series);
      k8s.load(scenario.cluster, prometheus?.url);
      const inspector = buildInspector(config);
      const before = k8s.requests.length;
      const target = resolveTarget(alert.labels);
      let investigation: Awaited<ReturnType<typeof investigate>>;
      try {
        investigation = await investigate(alert, target, {
          inspector,
          signatures,
          now: () => new Date(alert.startsAt),
        });
      } finally {
        await prometheus?.stop();
      }
      const { context, findings } = investigation;
      const clusterCalls = k8s.requests.length - before;
      const top = findings[0];
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
        metrics:
          context.metrics.status === 'ok'
            ? context.metrics.value
            : `${context.metrics.status}: ${context.metrics.reason}`,
        family: target.kind,
        subjectFound: subjectFound(target, context),
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
