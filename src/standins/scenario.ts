// The demo-scenario file format (events/scenarios/*.json): an Alertmanager webhook plus the cluster state behind it.
// The Kubernetes API stand-in serves the cluster part; accuracy runs and demos replay the webhook.

/** A Prometheus series as the stand-in serves it: a selector match returns `value` at query time. */
export interface ScenarioSeries {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Raw Kubernetes objects in core/v1 JSON, exactly as the API server would serve them. */
export interface ScenarioCluster {
  readonly pods?: readonly Record<string, unknown>[];
  readonly nodes?: readonly Record<string, unknown>[];
  readonly events?: readonly Record<string, unknown>[];
  readonly services?: readonly Record<string, unknown>[];
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
  /** Expected diagnosis: the top finding's signature id, or null when nothing should match confidently. */
  readonly expect: { readonly signatureId: string | null };
  /** An Alertmanager webhook v4 payload. */
  readonly webhook: Record<string, unknown>;
  readonly cluster: ScenarioCluster;
}
