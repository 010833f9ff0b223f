// Lean snapshots of workload objects (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, HPA, PDB) for triage.
// Adapters fill these from apps/v1, batch/v1, autoscaling/v2 and policy/v1; the domain reads only these types.
import type { ConditionSnapshot, PodSnapshot, TaintSnapshot, WorkloadKind } from '../context.js';
import type { RolloutChange } from './changes.js';
import type { PlacementGap } from './placement.js';

/** A label selector as Kubernetes writes it (matchLabels and set-based matchExpressions). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** One container of a pod template: what a rollout changes. */
export interface TemplateContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** `NAME=value`, or `NAME from secret/<name>.<key>` (values from Secrets and ConfigMaps are references only). */
  readonly env: readonly string[];
  /** `configMap/<name>` or `secret/<name>`. */
  readonly envFrom: readonly string[];
  /** `requests.cpu=250m`, `limits.memory=512Mi`, sorted. */
  readonly resources: readonly string[];
}

/** The pod template's parts that rollouts change and diagnoses quote. */
export interface TemplateSummary {
  readonly containers: readonly TemplateContainer[];
  readonly initContainers: readonly TemplateContainer[];
  /** `configMap/<name>`, `secret/<name>`, `persistentVolumeClaim/<name>`, `emptyDir`, ... per volume. */
  readonly volumes: readonly string[];
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

/**
 * One revision of a workload's pod template: a Deployment's ReplicaSet, or a StatefulSet's or DaemonSet's
 * ControllerRevision (named `<set>-<hash>`, no replica counts of its own).
 */
export interface RevisionSnapshot {
  readonly name: string;
  /** The `deployment.kubernetes.io/revision` annotation, or the ControllerRevision's `revision`; 0 when absent. */
  readonly revision: number;
  readonly createdAt?: string;
  readonly replicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly template: TemplateSummary;
}

export interface MetricStatus {
  /** `cpu`, `memory`, or the metric's name. */
  readonly name: string;
  /** `72%`, `850m`, `1.2k`: as the HPA reports it. */
  readonly current?: string;
  readonly target?: string;
  /** Both as numbers in one unit when comparable (utilisation percent, or the average value). */
  readonly currentValue?: number;
  readonly targetValue?: number;
}

export interface WorkloadSnapshot {
  readonly kind: WorkloadKind | 'CronJob';
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly createdAt?: string;
  readonly generation?: number;
  readonly observedGeneration?: number;
  readonly conditions: readonly ConditionSnapshot[];
  readonly selector?: LabelSelector;
  readonly template?: TemplateSummary;
  /** Desired, current, ready, available, updated replicas (DaemonSet: nodes) where the kind has them. */
  readonly replicas?: {
    readonly desired: number;
    readonly current: number;
    readonly ready: number;
    readonly available: number;
    readonly updated: number;
    /** DaemonSet only: nodes running a daemon pod that should not. */
    readonly misscheduled?: number;
  };
  /** Deployment: the revision annotation; StatefulSet and DaemonSet: the update revision's name. */
  readonly revision?: string;
  /** StatefulSet: the revision most pods still run. */
  readonly currentRevision?: string;
  readonly progressDeadlineSeconds?: number;
  readonly job?: {
    readonly backoffLimit?: number;
    readonly activeDeadlineSeconds?: number;
    readonly active: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly startTime?: string;
    readonly completions?: number;
    /** The CronJob that created it, with its schedule when it could be read. */
    readonly cronJob?: { readonly name: string; readonly schedule?: string; readonly suspended?: boolean };
  };
  readonly hpa?: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly currentReplicas: number;
    readonly desiredReplicas: number;
    readonly scaleTarget: { readonly kind: string; readonly name: string };
    readonly metrics: readonly MetricStatus[];
  };
  readonly pdb?: {
    readonly minAvailable?: string;
    readonly maxUnavailable?: string;
    readonly currentHealthy: number;
    readonly desiredHealthy: number;
    readonly disruptionsAllowed: number;
    readonly expectedPods: number;
  };
}

/** A pod of the workload as listed by its selector, with the revision it belongs to. */
export interface WorkloadPod {
  readonly pod: PodSnapshot;
  /** `pod-template-hash` or `controller-revision-hash` label. */
  readonly revisionHash?: string;
}

/** A node as the DaemonSet placement check needs it. */
export interface NodePlacementSnapshot {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly TaintSnapshot[];
  readonly unschedulable: boolean;
}

/** A failing pod in a word, for facts and evidence. */
export interface FailingPod {
  readonly name: string;
  readonly problem: string;
  readonly revisionHash?: string;
  /** `container api exited 1 (Error): <termination message>` when a container terminated. */
  readonly exit?: string;
}

/** Everything read about a workload for one alert: the object, its revisions, its pods, and what the pods showed. */
export interface WorkloadState {
  readonly object: WorkloadSnapshot;
  /** An HPA's scale target (the workload whose pods are diagnosed). */
  readonly scaleTarget?: WorkloadSnapshot;
  /** Deployment ReplicaSets or StatefulSet/DaemonSet ControllerRevisions, newest revision first. */
  readonly revisions: readonly RevisionSnapshot[];
  /** Why the revisions could not be read, if they could not (a 403 without the grant): what changed is unknown. */
  readonly revisionsUnread?: string;
  /** Pods the selector selects. */
  readonly podCount: number;
  /** Why the pods could not be listed, if they could not: their facts are then unknown, not absent. */
  readonly podsUnavailable?: string;
  /** Failing pods, worst first. */
  readonly failing: readonly FailingPod[];
  /** The pod-level cause proven in the worst pods: its signature id and the pods that showed it. */
  readonly podCause?: { readonly signatureId: string; readonly pods: readonly string[] };
  /** DaemonSet: nodes without the daemon pod or with a misplaced one. */
  readonly placement?: readonly PlacementGap[];
  readonly change?: RolloutChange;
}
