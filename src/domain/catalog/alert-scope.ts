// Which alerts are about one part of a node or a volume: signatures about the node's general state stay out of them.
import type { Condition } from '../signature.js';

export type Part = 'filesystem' | 'network' | 'conntrack' | 'clock' | 'fd' | 'pods' | 'volume' | 'container';

/** kube-prometheus (node-exporter mixin, kubernetes-mixin) alerts, by the part of the node they are about. */
export const PART_ALERTS: Readonly<Record<Part, readonly string[]>> = {
  filesystem: [
    'NodeFilesystemSpaceFillingUp',
    'NodeFilesystemAlmostOutOfSpace',
    'NodeFilesystemFilesFillingUp',
    'NodeFilesystemAlmostOutOfFiles',
    'NodeDiskIOSaturation',
  ],
  network: [
    'NodeNetworkReceiveErrs',
    'NodeNetworkTransmitErrs',
    'NodeNetworkInterfaceFlapping',
    'NodeBondingDegraded',
  ],
  conntrack: ['NodeHighNumberConntrackEntriesUsed'],
  clock: ['NodeClockSkewDetected', 'NodeClockNotSynchronising'],
  fd: ['NodeFileDescriptorLimit'],
  pods: ['KubeletTooManyPods'],
  volume: [
    'KubePersistentVolumeFillingUp',
    'KubePersistentVolumeInodesFillingUp',
    'KubePersistentVolumeErrors',
  ],
  container: ['CPUThrottlingHigh'],
};

/**
 * Exclusions for a signature about the node's state (load, pressure, readiness, a full disk, conntrack): an alert
 * that names a mountpoint, a device, a claim, or is one of the part alerts above, fired about that part, and a node
 * that happens to be loaded is not its answer. `own` keeps the part the signature itself is about.
 */
export function aboutAnotherPart(own?: Part): Condition[] {
  const labels = ['persistentvolumeclaim', 'persistentvolume'];
  // Filesystem alerts carry `device` (the block device) along with `mountpoint`.
  if (own !== 'filesystem') labels.push('mountpoint', 'device');
  const names = Object.entries(PART_ALERTS).flatMap(([part, alerts]) => (part === own ? [] : alerts));
  return [
    ...labels.map((label): Condition => ({ fact: `alert.label.${label}`, op: 'exists' })),
    { fact: 'alert.name', op: 'in', values: names },
  ];
}
