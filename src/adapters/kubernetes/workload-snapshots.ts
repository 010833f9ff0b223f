// Maps apps/v1, batch/v1, autoscaling/v2 and policy/v1 objects to the domain's lean workload snapshots.
import type {
  V1ControllerRevision,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Node,
  V1Pod,
  V1PodDisruptionBudget,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
  V2MetricStatus,
  V2MetricTarget,
  V2MetricValueStatus,
} from '@kubernetes/client-node';
import { parseQuantity } from '../../domain/format.js';
import type {
  MetricStatus,
  NodePlacementSnapshot,
  RevisionSnapshot,
  WorkloadPod,
  WorkloadSnapshot,
} from '../../domain/workload/types.js';
import { compact, iso, podSnapshot } from './snapshots.js';
import { conditions, labelSelector, meta, templateSummary } from './template-snapshots.js';

const REVISION = 'deployment.kubernetes.io/revision';

export function deploymentSnapshot(d: V1Deployment): WorkloadSnapshot {
  const s = d.status;
  const desired = d.spec?.replicas ?? 1;
  return compact({
    kind: 'Deployment' as const,
    ...meta(d.metadata),
    observedGeneration: s?.observedGeneration,
    conditions: conditions(s?.conditions),
    selector: labelSelector(d.spec?.selector),
    template: templateSummary(d.spec?.template),
    replicas: {
      desired,
      current: s?.replicas ?? 0,
      ready: s?.readyReplicas ?? 0,
      available: s?.availableReplicas ?? 0,
      updated: s?.updatedReplicas ?? 0,
    },
    revision: d.metadata?.annotations?.[REVISION],
    progressDeadlineSeconds: d.spec?.progressDeadlineSeconds,
  });
}

export function replicaSetSnapshot(rs: V1ReplicaSet): RevisionSnapshot {
  const revision = Number(rs.metadata?.annotations?.[REVISION] ?? '0');
  return compact({
    name: rs.metadata?.name ?? '',
    revision: Number.isInteger(revision) ? revision : 0,
    createdAt: iso(rs.metadata?.creationTimestamp),
    replicas: rs.status?.replicas ?? 0,
    readyReplicas: rs.status?.readyReplicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
    template: templateSummary(rs.spec?.template),
  });
}

/**
 * A StatefulSet's or DaemonSet's ControllerRevision: `data` is the patch that restores the revision, the whole pod
 * template under `spec.template` (both controllers write it so), read as raw JSON since the client types it `any`.
 */
export function controllerRevisionSnapshot(cr: V1ControllerRevision): RevisionSnapshot {
  const data = cr.data as { spec?: { template?: V1PodTemplateSpec } } | undefined;
  return compact({
    name: cr.metadata?.name ?? '',
    revision: Number.isSafeInteger(cr.revision) ? cr.revision : 0,
    createdAt: iso(cr.metadata?.creationTimestamp),
    template: templateSummary(data?.spec?.template),
  });
}

export function statefulSetSnapshot(ss: V1StatefulSet): WorkloadSnapshot {
  const s = ss.status;
  return compact({
    kind: 'StatefulSet' as const,
    ...meta(ss.metadata),
    observedGeneration: s?.observedGeneration,
    conditions: conditions(s?.conditions),
    selector: labelSelector(ss.spec?.selector),
    template: templateSummary(ss.spec?.template),
    replicas: {
      desired: ss.spec?.replicas ?? 1,
      current: s?.replicas ?? 0,
      ready: s?.readyReplicas ?? 0,
      available: s?.availableReplicas ?? 0,
      updated: s?.updatedReplicas ?? 0,
    },
    revision: s?.updateRevision,
    currentRevision: s?.currentRevision,
  });
}

export function daemonSetSnapshot(ds: V1DaemonSet): WorkloadSnapshot {
  const s = ds.status;
  return compact({
    kind: 'DaemonSet' as const,
    ...meta(ds.metadata),
    observedGeneration: s?.observedGeneration,
    conditions: conditions(s?.conditions),
    selector: labelSelector(ds.spec?.selector),
    template: templateSummary(ds.spec?.template),
    replicas: {
      desired: s?.desiredNumberScheduled ?? 0,
      current: s?.currentNumberScheduled ?? 0,
      ready: s?.numberReady ?? 0,
      available: s?.numberAvailable ?? 0,
      updated: s?.updatedNumberScheduled ?? 0,
      misscheduled: s?.numberMisscheduled ?? 0,
    },
  });
}

export function jobSnapshot(job: V1Job, cron: V1CronJob | undefined): WorkloadSnapshot {
  const s = job.status;
  const owner = job.metadata?.ownerReferences?.find((o) => o.kind === 'CronJob');
  return compact({
    kind: 'Job' as const,
    ...meta(job.metadata),
    conditions: conditions(s?.conditions),
    selector: labelSelector(job.spec?.selector),
    template: templateSummary(job.spec?.template),
    job: compact({
      backoffLimit: job.spec?.backoffLimit,
      activeDeadlineSeconds: job.spec?.activeDeadlineSeconds,
      completions: job.spec?.completions,
      active: s?.active ?? 0,
      succeeded: s?.succeeded ?? 0,
      failed: s?.failed ?? 0,
      startTime: iso(s?.startTime),
      cronJob: owner
        ? compact({ name: owner.name, schedule: cron?.spec?.schedule, suspended: cron?.spec?.suspend })
        : undefined,
    }),
  });
}

/** The CronJob that owns a Job, if any: read to quote its schedule. */
export function cronJobOwner(job: V1Job): string | undefined {
  return job.metadata?.ownerReferences?.find((o) => o.kind === 'CronJob')?.name;
}

function metricText(v: V2MetricValueStatus | V2MetricTarget | undefined): string | undefined {
  if (!v) return undefined;
  if (v.averageUtilization !== undefined) return `${v.averageUtilization}%`;
  return v.averageValue ?? v.value;
}

function metricNumber(v: V2MetricValueStatus | V2MetricTarget | undefined): number | undefined {
  if (!v) return undefined;
  if (v.averageUtilization !== undefined) return v.averageUtilization;
  const q = v.averageValue ?? v.value;
  return q === undefined ? undefined : parseQuantity(q);
}

function metricName(
  m:
    | V2MetricStatus
    | {
        type: string;
        resource?: { name: string };
        containerResource?: { name: string };
        pods?: { metric: { name: string } };
        object?: { metric: { name: string } };
        external?: { metric: { name: string } };
      },
): string {
  return (
    m.resource?.name ??
    m.containerResource?.name ??
    m.pods?.metric.name ??
    m.object?.metric.name ??
    m.external?.metric.name ??
    m.type
  );
}

export function hpaSnapshot(hpa: V2HorizontalPodAutoscaler): WorkloadSnapshot {
  const s = hpa.status;
  const targets = new Map(
    (hpa.spec?.metrics ?? []).map((m) => {
      const target =
        m.resource?.target ??
        m.containerResource?.target ??
        m.pods?.target ??
        m.object?.target ??
        m.external?.target;
      return [metricName(m), target] as const;
    }),
  );
  const metrics: MetricStatus[] = (s?.currentMetrics ?? []).map((m) => {
    const current =
      m.resource?.current ??
      m.containerResource?.current ??
      m.pods?.current ??
      m.object?.current ??
      m.external?.current;
    const name = metricName(m);
    const target = targets.get(name);
    return compact({
      name,
      current: metricText(current),
      target: metricText(target),
      currentValue: metricNumber(current),
      targetValue: metricNumber(target),
    });
  });
  return compact({
    kind: 'HorizontalPodAutoscaler' as const,
    ...meta(hpa.metadata),
    conditions: conditions(s?.conditions),
    hpa: {
      minReplicas: hpa.spec?.minReplicas ?? 1,
      maxReplicas: hpa.spec?.maxReplicas ?? 0,
      currentReplicas: s?.currentReplicas ?? 0,
      desiredReplicas: s?.desiredReplicas ?? 0,
      scaleTarget: { kind: hpa.spec?.scaleTargetRef.kind ?? '', name: hpa.spec?.scaleTargetRef.name ?? '' },
      metrics,
    },
  });
}

export function pdbSnapshot(pdb: V1PodDisruptionBudget): WorkloadSnapshot {
  const s = pdb.status;
  const text = (v: number | string | undefined) => (v === undefined ? undefined : String(v));
  return compact({
    kind: 'PodDisruptionBudget' as const,
    ...meta(pdb.metadata),
    conditions: conditions(s?.conditions),
    selector: labelSelector(pdb.spec?.selector) ?? {},
    pdb: compact({
      minAvailable: text(pdb.spec?.minAvailable),
      maxUnavailable: text(pdb.spec?.maxUnavailable),
      currentHealthy: s?.currentHealthy ?? 0,
      desiredHealthy: s?.desiredHealthy ?? 0,
      disruptionsAllowed: s?.disruptionsAllowed ?? 0,
      expectedPods: s?.expectedPods ?? 0,
    }),
  });
}

export function workloadPod(pod: V1Pod): WorkloadPod {
  const labels = pod.metadata?.labels ?? {};
  return compact({
    pod: podSnapshot(pod),
    revisionHash: labels['pod-template-hash'] ?? labels['controller-revision-hash'],
  });
}

export function nodePlacement(node: V1Node): NodePlacementSnapshot {
  return {
    name: node.metadata?.name ?? '',
    labels: node.metadata?.labels ?? {},
    taints: (node.spec?.taints ?? []).map((t) => compact({ key: t.key, value: t.value, effect: t.effect })),
    unschedulable: node.spec?.unschedulable ?? false,
  };
}
