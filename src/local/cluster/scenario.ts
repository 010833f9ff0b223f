// The demo-scenario file format (events/scenarios/*.json): an Alertmanager webhook plus the cluster state behind it.
// The Kubernetes API stand-in serves the cluster part; accuracy runs and demos replay the webhook.

/**
 * A Prometheus series over the hour before the query: `value` at the start of that hour, growing by `perSecond`
 * (absent: constant). A counter is a start value and a slope; its rate is the slope, never `value`, as in
 * real PromQL (test/support/openmetrics.ts renders the same series for a real Prometheus).
 */
export interface ScenarioSeries {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly perSecond?: number;
}

/** How much history a scenario series has before the query time. */
export const SERIES_HISTORY_SECONDS = 3600;

/** Raw Kubernetes objects in core/v1 JSON, exactly as the API server would serve them. */
export interface ScenarioCluster {
  readonly pods?: readonly Record<string, unknown>[];
  readonly nodes?: readonly Record<string, unknown>[];
  readonly events?: readonly Record<string, unknown>[];
  readonly services?: readonly Record<string, unknown>[];
  /** apps/v1, batch/v1, autoscaling/v2 and policy/v1 objects, as the API server serves them. */
  readonly deployments?: readonly Record<string, unknown>[];
  readonly replicasets?: readonly Record<string, unknown>[];
  readonly statefulsets?: readonly Record<string, unknown>[];
  readonly daemonsets?: readonly Record<string, unknown>[];
  /** A StatefulSet's or DaemonSet's revisions: `revision` and `data` (the pod template as a patch). */
  readonly controllerrevisions?: readonly Record<string, unknown>[];
  readonly jobs?: readonly Record<string, unknown>[];
  readonly cronjobs?: readonly Record<string, unknown>[];
  readonly horizontalpodautoscalers?: readonly Record<string, unknown>[];
  readonly poddisruptionbudgets?: readonly Record<string, unknown>[];
  /** Volume and quota alerts' subjects (core/v1, storage.k8s.io/v1). */
  readonly persistentvolumeclaims?: readonly Record<string, unknown>[];
  readonly persistentvolumes?: readonly Record<string, unknown>[];
  readonly resourcequotas?: readonly Record<string, unknown>[];
  readonly storageclasses?: readonly Record<string, unknown>[];
  /** Container logs; `previous: true` is the last terminated instance (`?previous=true`). */
  readonly logs?: readonly {
    readonly namespace: string;
    readonly pod: string;
    readonly container: string;
    readonly previous: boolean;
    readonly text: string;
  }[];
  readonly prometheus?: { readonly series: readonly ScenarioSeries[] };
  /** What the kubelet's node log query (`/api/v1/nodes/{node}/proxy/logs/?query=...`) answers, per node and query. */
  readonly nodeLogs?: readonly { readonly node: string; readonly query: string; readonly text: string }[];
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Field-guide story or reference file the scenario is drawn from, if any. */
  readonly source?: string;
  /** Class of mistake a field scenario probes (events/field/), reported per class by `npm run accuracy`. */
  readonly class?: string;
  /** Expected diagnosis: the top finding's signature id, or null when nothing should match confidently. */
  readonly expect: {
    readonly signatureId: string | null;
    /** The answer when all scenarios share one cluster (the demo), where cluster-wide objects are shared evidence. */
    readonly inSharedCluster?: { readonly signatureId: string | null; readonly why: string };
  };
  /** An Alertmanager webhook v4 payload. */
  readonly webhook: Record<string, unknown>;
  readonly cluster: ScenarioCluster;
}
