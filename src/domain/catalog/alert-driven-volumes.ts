// Volume signatures: the alert names a PersistentVolumeClaim whose volume is filling up, or a pod that ran out of
// space writing to the claim it mounts.
import type { Condition, Signature } from '../signature.js';

const fired = (alerts: readonly string[]): Condition => ({ fact: 'alert.name', op: 'in', values: alerts });

const CLAIM = '{{pvc.claimRef}}';
const PVC = '{{pvc.claimName}}';
const POD = '{{pvc.mountingPod|<pod>}}';
const MOUNT_PATH = '{{pvc.mountPath|<mount path>}}';

const SPACE_ALERTS = ['KubePersistentVolumeFillingUp'];

const pvcFillingUp: Signature = {
  id: 'pvc-filling-up',
  title: 'PersistentVolumeClaim filling up',
  targets: ['pvc', 'pod'],
  all: [
    { fact: 'pvc.claimRef', op: 'exists' },
    // kube-prometheus warns below 15% free when the volume is predicted to fill, and is critical below 3%.
    { fact: 'metrics.pvcUsedRatio', op: 'gte', value: 0.8, orUnknown: true },
  ],
  any: [
    fired(SPACE_ALERTS),
    // A pod alert (crash loop, not ready): the writer failed on the full claim before any claim alert fired.
    { fact: 'logs.previous', op: 'matches', pattern: 'no space left on device|ENOSPC' },
    { fact: 'container.terminationMessage', op: 'matches', pattern: 'no space left on device|ENOSPC' },
  ],
  support: [
    { fact: 'metrics.pvcHoursToFull', op: 'lt', value: 96 },
    { fact: 'pvc.mountedByCount', op: 'gte', value: 1 },
    { fact: 'pvc.expandable', op: 'eq', value: true },
    {
      fact: 'pvc.events',
      op: 'matches',
      pattern: 'VolumeResizeFailed|FileSystemResizeFailed|Resizing|ExternalExpanding',
    },
  ],
  confidence: 'high',
  specificity: 80,
  summary: `The volume of claim ${CLAIM} is {{metrics.pvcUsedRatio|nearly}} full: {{metrics.pvcAvailableBytes|little}} free of {{metrics.pvcCapacityBytes|its size}}, growing {{metrics.pvcHourlyGrowthBytes|at an unknown rate}}/h over the last 6 hours, full in {{metrics.pvcTimeToFull|an unknown time}}. {{pvc.mountingPod|No running pod}} writes to it at ${MOUNT_PATH}; once it is full, its writes fail with "no space left on device" and databases and queues stop or crash. Its StorageClass {{pvc.storageClass|is unknown}} (allowVolumeExpansion: {{pvc.expandable|unknown}}).`,
  remediation: [
    `See what fills it: \`kubectl exec -n {{namespace}} ${POD} -c {{pvc.mountingContainer|<container>}} -- sh -c 'df -h ${MOUNT_PATH}; du -xh -d 2 ${MOUNT_PATH} | sort -h | tail -20'\`.`,
    `Expand it (the StorageClass must allow it: \`kubectl get storageclass {{pvc.storageClass|<class>}} -o jsonpath='{.allowVolumeExpansion}'\`): \`kubectl patch pvc ${PVC} -n {{namespace}} -p '{"spec":{"resources":{"requests":{"storage":"{{pvc.suggestedSize|<new size>}}"}}}}'\`, then \`kubectl get pvc ${PVC} -n {{namespace}} -w\` until the capacity changes (a StatefulSet's volumeClaimTemplates keep the old size for new replicas: change them too).`,
    'Clean up what the application keeps too long: its retention setting (Prometheus `--storage.tsdb.retention.size`, Kafka `log.retention.bytes`, Elasticsearch ILM, PostgreSQL WAL kept by a stale replication slot: `select slot_name, active from pg_replication_slots`), old dumps and logs on the volume.',
    `If the class cannot expand: snapshot it (\`kubectl get volumesnapshotclass\`), restore into a larger claim and point the workload at it, or move data off; meanwhile keep the writer alive by freeing space in ${MOUNT_PATH}.`,
  ],
};

const INODE_ALERTS = ['KubePersistentVolumeInodesFillingUp'];

const pvcInodesExhausted: Signature = {
  id: 'pvc-inodes-exhausted',
  title: 'PersistentVolumeClaim running out of inodes',
  alerts: INODE_ALERTS,
  targets: ['pvc'],
  all: [
    fired(INODE_ALERTS),
    { fact: 'alert.label.persistentvolumeclaim', op: 'exists' },
    { fact: 'metrics.pvcInodesUsedRatio', op: 'gte', value: 0.8, orUnknown: true },
  ],
  support: [
    { fact: 'metrics.pvcUsedRatio', op: 'lt', value: 0.8 },
    { fact: 'pvc.mountedByCount', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 82,
  summary: `The volume of claim ${CLAIM} has used {{metrics.pvcInodesUsedRatio|nearly all}} of its inodes ({{metrics.pvcInodesFree|few}} left) while {{metrics.pvcAvailableBytes|an unknown amount of}} space is free: {{pvc.mountingPod|its writer}} cannot create files any more ("no space left on device"). Many small files do this: caches, queues of one file per message, session stores.`,
  remediation: [
    `Count the files: \`kubectl exec -n {{namespace}} ${POD} -c {{pvc.mountingContainer|<container>}} -- sh -c 'df -i ${MOUNT_PATH}; find ${MOUNT_PATH} -xdev -type f | cut -d/ -f1-5 | sort | uniq -c | sort -rn | head'\`.`,
    'Delete what is disposable (expired cache entries, processed queue files), and fix the cleanup in the application that leaves them.',
    `The inode count of ext4 is fixed when the filesystem is made and grows only with the volume: expanding the claim (\`kubectl patch pvc ${PVC} -n {{namespace}} -p '{"spec":{"resources":{"requests":{"storage":"{{pvc.suggestedSize|<new size>}}"}}}}'\`) adds inodes; an xfs StorageClass (\`csi.storage.k8s.io/fstype: xfs\`) allocates them dynamically.`,
  ],
};

export const ALERT_DRIVEN_VOLUME_SIGNATURES: readonly Signature[] = [pvcFillingUp, pvcInodesExhausted];
