// Maps client-node claims, volumes, storage classes, quotas and nodes to the lean snapshots of subject-context.ts.
import type {
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ResourceQuota,
  V1StorageClass,
} from '@kubernetes/client-node';
import type {
  ClaimSnapshot,
  ClusterNode,
  MountingPod,
  QuotaSnapshot,
  StorageClassSnapshot,
  VolumeSnapshot,
} from '../../domain/subject-context.js';
import { compact } from './snapshots.js';

const quantities = (m: Record<string, string> | undefined): Record<string, string> => ({ ...(m ?? {}) });

export function claimSnapshot(c: V1PersistentVolumeClaim): ClaimSnapshot {
  return compact({
    namespace: c.metadata?.namespace ?? '',
    name: c.metadata?.name ?? '',
    phase: c.status?.phase ?? 'Unknown',
    storageClass: c.spec?.storageClassName,
    volumeName: c.spec?.volumeName,
    requested: c.spec?.resources?.requests?.storage,
    capacity: c.status?.capacity?.storage,
    accessModes: c.spec?.accessModes ?? [],
    conditions: (c.status?.conditions ?? []).map((x) =>
      compact({ type: x.type, status: x.status, message: x.message }),
    ),
  });
}

export function volumeSnapshot(v: V1PersistentVolume): VolumeSnapshot {
  const spec = v.spec;
  const inTree =
    spec &&
    Object.keys(spec).find((k) =>
      /^(awsElasticBlockStore|gcePersistentDisk|azureDisk|nfs|hostPath|local)$/.test(k),
    );
  const ref = spec?.claimRef;
  return compact({
    name: v.metadata?.name ?? '',
    phase: v.status?.phase ?? 'Unknown',
    reason: v.status?.reason,
    message: v.status?.message,
    capacity: spec?.capacity?.storage,
    storageClass: spec?.storageClassName,
    driver: spec?.csi?.driver ?? inTree,
    reclaimPolicy: spec?.persistentVolumeReclaimPolicy,
    claim: ref?.name ? { namespace: ref.namespace ?? '', name: ref.name } : undefined,
  });
}

export function storageClassSnapshot(s: V1StorageClass): StorageClassSnapshot {
  return {
    name: s.metadata?.name ?? '',
    provisioner: s.provisioner,
    allowVolumeExpansion: s.allowVolumeExpansion ?? false,
  };
}

/** The pod as a user of `claim`, or undefined when none of its volumes references it. */
export function mountingPod(pod: V1Pod, claim: string): MountingPod | undefined {
  const volume = (pod.spec?.volumes ?? []).find((v) => v.persistentVolumeClaim?.claimName === claim);
  if (!volume) return undefined;
  const containers = pod.spec?.containers ?? [];
  const user = containers.find((c) => (c.volumeMounts ?? []).some((m) => m.name === volume.name));
  const mount = user?.volumeMounts?.find((m) => m.name === volume.name);
  const statuses = pod.status?.containerStatuses ?? [];
  const owner =
    pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  return compact({
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    nodeName: pod.spec?.nodeName,
    phase: pod.status?.phase ?? 'Unknown',
    ready: statuses.length > 0 && statuses.every((s) => s.ready),
    ownerKind: owner?.kind,
    ownerName: owner?.name,
    mountPath: mount?.mountPath,
    container: user?.name,
  });
}

export function quotaSnapshot(q: V1ResourceQuota): QuotaSnapshot {
  return {
    namespace: q.metadata?.namespace ?? '',
    name: q.metadata?.name ?? '',
    // status.hard is what the quota controller enforces; spec.hard before it has caught up.
    hard: quantities(q.status?.hard ?? q.spec?.hard),
    used: quantities(q.status?.used),
  };
}

export function clusterNode(n: V1Node): ClusterNode {
  return compact({
    name: n.metadata?.name ?? '',
    providerID: n.spec?.providerID,
    labels: { ...(n.metadata?.labels ?? {}) },
    internalIPs: (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address),
  });
}
