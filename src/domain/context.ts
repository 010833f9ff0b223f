// What triage knows about the cluster around an alert: lean snapshots of pod, node, events, peers, logs, metrics.
// Adapters fill these from the Kubernetes API and Prometheus; the domain reads only these types.

import type { SubjectPieces } from './subject-context.js';
import type { WorkloadState } from './workload/types.js';

/** One piece of context: gathered, unavailable (the cluster refused or failed), or skipped (not applicable). */
export type Piece<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'unavailable'; readonly reason: string }
  | { readonly status: 'skipped'; readonly reason: string };

/** What an alert can be about; `none` when its labels name nothing usable (see `invalid`). */
export type SubjectKind = 'pod' | 'workload' | 'pvc' | 'node' | 'namespace' | 'cluster' | 'none';
export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'HorizontalPodAutoscaler'
  | 'PodDisruptionBudget';

/** The subject of an alert (domain/subject.ts resolves it from the labels); names are valid Kubernetes names. */
export interface Target {
  readonly kind: SubjectKind;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  readonly node?: string;
  /** A node known only by its scrape address (node-exporter `<ip>:9100`): matched to a node's InternalIP. */
  readonly nodeAddress?: string;
  readonly workload?: { readonly kind: WorkloadKind; readonly name: string };
  /** PersistentVolumeClaim name (in `namespace`). */
  readonly pvc?: string;
  /** PersistentVolume name, for alerts about the volume itself. */
  readonly volume?: string;
  /** ResourceQuota name (in `namespace`). */
  readonly quota?: string;
  /** Why the subject is `none` although the alert names one: a name Kubernetes could not have given. */
  readonly invalid?: string;
}

export interface TerminatedState {
  readonly exitCode: number;
  readonly reason?: string;
  readonly message?: string;
  readonly signal?: number;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

export interface ProbeSpec {
  readonly kind: 'httpGet' | 'tcpSocket' | 'exec' | 'grpc';
  readonly port?: string;
  readonly path?: string;
  readonly initialDelaySeconds: number;
  readonly timeoutSeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

export interface ContainerSnapshot {
  readonly name: string;
  readonly image: string;
  readonly ready: boolean;
  readonly restartCount: number;
  readonly waiting?: { readonly reason: string; readonly message?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: TerminatedState;
  readonly lastTerminated?: TerminatedState;
  /** Memory limit in bytes, parsed from the spec's quantity. */
  readonly memoryLimitBytes?: number;
  /** The limit as written in the spec, e.g. "512Mi", for quoting. */
  readonly memoryLimit?: string;
  /** Mounts of ConfigMap or Secret volumes that use subPath (a known source of start failures). */
  readonly subPathConfigMounts?: number;
  /**
   * How the container is launched, as far as it says where to listen: command and args, and the env entries whose
   * names mention a host, bind, listen or address setting (`NAME=value`, literal values only).
   */
  readonly launch?: readonly string[];
  readonly livenessProbe?: ProbeSpec;
  readonly readinessProbe?: ProbeSpec;
  readonly startupProbe?: ProbeSpec;
}

export interface ConditionSnapshot {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

export interface PodSnapshot {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly nodeName?: string;
  readonly phase: string;
  readonly reason?: string;
  readonly message?: string;
  readonly conditions: readonly ConditionSnapshot[];
  readonly containers: readonly ContainerSnapshot[];
  readonly initContainers: readonly ContainerSnapshot[];
  readonly ownerKind?: string;
  readonly ownerName?: string;
  /** A StatefulSet's or DaemonSet's pod: its `controller-revision-hash` label (the revision it runs). */
  readonly revisionHash?: string;
  readonly createdAt?: string;
  readonly deletionTimestamp?: string;
  readonly finalizers: readonly string[];
  /** spec.terminationGracePeriodSeconds: how long the kubelet waits after SIGTERM before SIGKILL. */
  readonly terminationGracePeriodSeconds?: number;
  /** The PersistentVolumeClaims its volumes reference (absent when none). */
  readonly claims?: readonly string[];
}

export interface EventSnapshot {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly lastSeen?: string;
  readonly involvedKind: string;
  readonly involvedName: string;
  readonly source?: string;
}

/** A Service port exposed on every node (type NodePort or LoadBalancer). */
export interface NodePortSnapshot {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  readonly nodePort: number;
}

export interface TaintSnapshot {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface NodeSnapshot {
  readonly name: string;
  readonly conditions: readonly ConditionSnapshot[];
  readonly taints: readonly TaintSnapshot[];
  readonly unschedulable: boolean;
  readonly allocatableMemoryBytes?: number;
  readonly allocatableCpuMillis?: number;
  readonly kubeletVersion?: string;
}

/** Another pod on the same node, reduced to what says whether it is failing too. */
export interface PeerPod {
  readonly namespace: string;
  readonly name: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly restarts: number;
  readonly waitingReason?: string;
  readonly lastExitCode?: number;
  readonly lastReason?: string;
}

/** Instant-query results by metric key (see domain/metric-queries.ts); null = the query returned no series. */
export type MetricValues = Readonly<Record<string, number | null>>;

/** Claim, quota and provider pieces (subject-context.ts) are present only for the subjects that need them. */
export interface TriageContext extends SubjectPieces {
  readonly target: Target;
  readonly pod: Piece<PodSnapshot>;
  readonly podEvents: Piece<readonly EventSnapshot[]>;
  readonly node: Piece<NodeSnapshot>;
  readonly nodeEvents: Piece<readonly EventSnapshot[]>;
  readonly peers: Piece<readonly PeerPod[]>;
  readonly previousLog: Piece<string>;
  readonly metrics: Piece<MetricValues>;
  /** NodePorts of the cluster's Services; read only when probes fail (port-range overlap check). */
  readonly nodePorts: Piece<readonly NodePortSnapshot[]>;
  /** The node's own logs (kernel, kubelet) through the optional node log query; skipped unless configured. */
  readonly nodeLog: Piece<string>;
  /** When the context was gathered; ages (deletion, start-up) are measured against it. */
  readonly gatheredAt: string;
  /** A workload alert's object, revisions and pods (absent for other subjects). */
  readonly workload?: Piece<WorkloadState>;
}

/** The pieces of context by field, as a message names them. */
export const PIECE_NAMES: Readonly<Record<string, string>> = {
  pod: 'pod status',
  podEvents: 'pod events',
  node: 'node',
  nodeEvents: 'node events',
  peers: 'pods on the node',
  previousLog: 'previous log',
  metrics: 'Prometheus metrics',
  workload: 'the workload',
  claim: 'PersistentVolumeClaim',
  quota: 'ResourceQuota',
  provider: 'node list',
};

export const ok = <T>(value: T): Piece<T> => ({ status: 'ok', value });
export const unavailable = <T>(reason: string): Piece<T> => ({ status: 'unavailable', reason });
export const skipped = <T>(reason: string): Piece<T> => ({ status: 'skipped', reason });

/** A context with nothing gathered, every piece skipped for `reason`. */
export function emptyContext(target: Target, reason: string, gatheredAt: string): TriageContext {
  const none = skipped<never>(reason);
  return {
    target,
    pod: none,
    podEvents: none,
    node: none,
    nodeEvents: none,
    peers: none,
    previousLog: none,
    metrics: none,
    nodePorts: none,
    nodeLog: none,
    gatheredAt,
  };
}
