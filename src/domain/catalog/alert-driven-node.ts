// Alert-driven node signatures: the alert names a filesystem, device, the clock, file handles or pod slots.
import type { Condition, Signature } from '../signature.js';
import { PART_ALERTS } from './alert-scope.js';

/** The alert itself is decisive evidence (its rule computed the condition); the metrics confirm it, or lower it. */
const fired = (alerts: readonly string[]): Condition => ({ fact: 'alert.name', op: 'in', values: alerts });

const SPACE_ALERTS = ['NodeFilesystemSpaceFillingUp', 'NodeFilesystemAlmostOutOfSpace'];
const FILES_ALERTS = ['NodeFilesystemFilesFillingUp', 'NodeFilesystemAlmostOutOfFiles'];
const MOUNT = '{{alert.label.mountpoint}}';
const DEVICE = '{{alert.label.device|the device}}';

const nodeFilesystemFilling: Signature = {
  id: 'node-filesystem-filling',
  title: 'Node filesystem filling up',
  alerts: SPACE_ALERTS,
  targets: ['node'],
  all: [
    fired(SPACE_ALERTS),
    { fact: 'alert.label.mountpoint', op: 'exists' },
    // kube-prometheus fires from 15% free (filling) down to 3% (almost out of space).
    { fact: 'metrics.fsUsedRatio', op: 'gte', value: 0.8, orUnknown: true },
  ],
  support: [
    { fact: 'metrics.fsHoursToFull', op: 'lt', value: 24 },
    { fact: 'node.diskPressure', op: 'eq', value: 'True' },
    {
      fact: 'events.node',
      op: 'matches',
      pattern: 'FreeDiskSpaceFailed|ImageGCFailed|Attempting to reclaim',
    },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  // Below disk-full (70): with DiskPressure the kubelet is already evicting, and that is the more urgent answer.
  specificity: 66,
  summary: `${MOUNT} (${DEVICE}, {{alert.label.fstype|filesystem}}) on {{node}} is {{metrics.fsUsedRatio|nearly}} full: {{metrics.fsAvailableBytes|little}} free of {{metrics.fsSizeBytes|its size}}, growing {{metrics.fsHourlyGrowthBytes|at an unknown rate}}/h over the last 6 hours, full in {{metrics.fsTimeToFull|an unknown time}}. It holds {{alert.mountpointHolds}}. When it is full, writes there fail with "no space left on device"; the kubelet's node or image filesystem then sets DiskPressure and evicts pods.`,
  remediation: [
    `See what fills it, on {{node}}: \`df -h ${MOUNT}\` and \`du -xh --max-depth=2 ${MOUNT} 2>/dev/null | sort -h | tail -20\`.`,
    'Images and their writable layers (the image filesystem, `/var/lib/containerd`): `crictl rmi --prune` removes unused images; the kubelet collects them itself between `imageGCHighThresholdPercent` (default 85) and `imageGCLowThresholdPercent` (80).',
    'Logs (`/var/log`): `du -sh /var/log/pods/* | sort -h | tail`, cap container logs with the kubelet `containerLogMaxSize` and `containerLogMaxFiles`, trim the journal with `journalctl --vacuum-size=500M`; empty a file still held open with `truncate -s 0 <file>` (`lsof +L1` lists deleted files that still hold space).',
    'Pod volumes (`/var/lib/kubelet`): `du -sh /var/lib/kubelet/pods/*/volumes/kubernetes.io~empty-dir/* 2>/dev/null | sort -h | tail` names the pod UID; give that pod an `ephemeral-storage` limit or an emptyDir `sizeLimit`.',
    `Grow it if the node needs the room: enlarge the disk behind ${DEVICE} in the cloud, then \`growpart\` and \`xfs_growfs ${MOUNT}\` (xfs) or \`resize2fs ${DEVICE}\` (ext4); meanwhile \`kubectl cordon {{node}}\` keeps new pods away.`,
  ],
};

const nodeInodesExhausted: Signature = {
  id: 'node-inodes-exhausted',
  title: 'Node filesystem running out of inodes',
  alerts: FILES_ALERTS,
  targets: ['node'],
  all: [
    fired(FILES_ALERTS),
    { fact: 'alert.label.mountpoint', op: 'exists' },
    { fact: 'metrics.fsFilesUsedRatio', op: 'gte', value: 0.8, orUnknown: true },
  ],
  support: [{ fact: 'metrics.fsUsedRatio', op: 'lt', value: 0.8 }],
  confidence: 'high',
  specificity: 72,
  summary: `${MOUNT} (${DEVICE}) on {{node}} has used {{metrics.fsFilesUsedRatio|nearly all}} of its inodes ({{metrics.fsFilesFree|few}} left), whatever the free bytes ({{metrics.fsAvailableBytes|unknown}} free): every new file, socket or directory there fails with "no space left on device". Millions of small files do this: caches, session files, mail spools, unpacked image layers.`,
  remediation: [
    `Find the directories with the most files, on {{node}}: \`df -i ${MOUNT}\`, then \`find ${MOUNT} -xdev -type f 2>/dev/null | cut -d/ -f1-6 | sort | uniq -c | sort -rn | head -20\`.`,
    'Delete what is disposable: unused images `crictl rmi --prune`, exited containers `crictl rm $(crictl ps -a -q --state exited)`, old journal files `journalctl --vacuum-files=5`.',
    'If a pod writes them (`/var/lib/kubelet/pods/<uid>/…` in the list above), fix its cleanup or give it a volume of its own; `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}` maps the UID to the pod.',
    'ext4 has a fixed inode count set at mkfs time: a filesystem of many small files needs a smaller bytes-per-inode (`mkfs.ext4 -i 8192`) on a new disk; xfs allocates inodes dynamically up to `imaxpct`.',
  ],
};

const CLOCK_ALERTS = PART_ALERTS.clock;

const nodeClockUnsynchronised: Signature = {
  id: 'node-clock-unsynchronised',
  title: 'Node clock not synchronised',
  alerts: CLOCK_ALERTS,
  targets: ['node'],
  all: [fired(CLOCK_ALERTS)],
  any: [
    { fact: 'metrics.clockSynchronised', op: 'eq', value: false, orUnknown: true },
    { fact: 'metrics.clockOffsetSeconds', op: 'gt', value: 0.05, orUnknown: true },
    { fact: 'metrics.clockOffsetSeconds', op: 'lt', value: -0.05, orUnknown: true },
  ],
  support: [{ fact: 'metrics.clockMaxErrorSeconds', op: 'gte', value: 16 }],
  confidence: 'high',
  specificity: 85,
  summary:
    'The clock of {{node}} is not kept in step with a time source: offset {{metrics.clockOffsetSeconds|unknown}} s, maximum error {{metrics.clockMaxErrorSeconds|unknown}} s. A drifting clock breaks TLS (certificates "not yet valid" or "expired"), token expiry, leases and the order of logs and metrics; it is a time daemon (chrony, systemd-timesyncd) that stopped or cannot reach its server.',
  remediation: [
    'On {{node}}: `timedatectl status` (System clock synchronized), `chronyc tracking` and `chronyc sources -v` (a `^*` marks the source in use; `?` means unreachable).',
    'Restart the daemon: `systemctl restart chronyd` (or `systemctl restart systemd-timesyncd`), then watch `chronyc tracking` converge.',
    'Reachability of the source: NTP is UDP 123; on AWS use the Amazon Time Sync Service (`server 169.254.169.123 prefer iburst` in `/etc/chrony.conf`), on GCP `metadata.google.internal`; a security group or NetworkPolicy change often cuts it.',
    'If the node keeps drifting, replace it: `kubectl drain {{node}} --ignore-daemonsets --delete-emptydir-data`.',
  ],
};

const NETWORK_ALERTS = ['NodeNetworkReceiveErrs', 'NodeNetworkTransmitErrs'];

const nodeNetworkErrors: Signature = {
  id: 'node-network-errors',
  title: 'Network interface errors on the node',
  alerts: NETWORK_ALERTS,
  targets: ['node'],
  all: [fired(NETWORK_ALERTS), { fact: 'alert.label.device', op: 'exists' }],
  any: [
    { fact: 'metrics.netReceiveErrorRate', op: 'gt', value: 0, orUnknown: true },
    { fact: 'metrics.netTransmitErrorRate', op: 'gt', value: 0, orUnknown: true },
  ],
  support: [
    { fact: 'metrics.netErrorRatio', op: 'gt', value: 0.01 },
    { fact: 'metrics.netReceiveDropRate', op: 'gt', value: 0 },
  ],
  confidence: 'high',
  specificity: 80,
  summary:
    'The interface {{alert.label.device}} on {{node}} counts errors: {{metrics.netErrorRatio|an unknown share}} of its packets ({{metrics.netReceiveErrorRate|?}} receive and {{metrics.netTransmitErrorRate|?}} transmit errors/s). Pods on the node see retransmits, timeouts and resets that have nothing to do with their own code. Usual causes: an MTU mismatch (MTU {{metrics.netMtu|unknown}}), a cloud NIC allowance exceeded, a driver or firmware fault, a bad cable or port.',
  remediation: [
    'On {{node}}: `ip -s -s link show {{alert.label.device}}` (errors, dropped, overrun, frame, CRC) and `ethtool -S {{alert.label.device}} | grep -iE "err|drop|crc|fifo|miss|allowance"`; on AWS ENA, `bw_in_allowance_exceeded`, `pps_allowance_exceeded` and `conntrack_allowance_exceeded` mean the instance type is too small for the traffic.',
    'MTU: `ip link show {{alert.label.device}}` against the path (`ping -M do -s <MTU-28> <peer node IP>`); the CNI overlay must be smaller than the underlay by its encapsulation (VXLAN 50 bytes).',
    'Driver and firmware: `ethtool -i {{alert.label.device}}` and `dmesg -T | grep -i {{alert.label.device}}` for resets or link flaps; update them, or on bare metal check cable and switch port.',
    'Move workloads while it is fixed: `kubectl cordon {{node}}` and `kubectl drain {{node}} --ignore-daemonsets --delete-emptydir-data`, or replace the instance.',
  ],
};

const FD_ALERTS = PART_ALERTS.fd;

const nodeFdLimit: Signature = {
  id: 'node-fd-limit',
  title: 'Node running out of file handles',
  alerts: FD_ALERTS,
  targets: ['node'],
  all: [fired(FD_ALERTS), { fact: 'metrics.filefdRatio', op: 'gte', value: 0.7, orUnknown: true }],
  confidence: 'high',
  specificity: 80,
  summary:
    'The kernel of {{node}} has {{metrics.filefdRatio|most}} of its file handles (fs.file-max) allocated. When none is left, every process on the node fails to open files and sockets ("Too many open files in system"), the kubelet and the container runtime included. One process leaking descriptors is the usual cause.',
  remediation: [
    'Find the holder, on {{node}}: `for p in /proc/[0-9]*; do echo "$(ls $p/fd 2>/dev/null | wc -l) $(cat $p/comm 2>/dev/null) $(basename $p)"; done | sort -rn | head`.',
    'Map the PID to its pod: `cat /proc/<pid>/cgroup` shows the pod UID and container id; `crictl ps --id <container id>`.',
    'Stop the leak (restart the pod as a stopgap: `kubectl delete pod -n <namespace> <pod>`), then fix it: close connections and files, reuse clients.',
    'Headroom meanwhile: `sysctl fs.file-nr fs.file-max`, `sysctl -w fs.file-max=<twice the current value>` and persist it under `/etc/sysctl.d/`.',
  ],
};

const PODS_ALERTS = PART_ALERTS.pods;

const kubeletTooManyPods: Signature = {
  id: 'kubelet-too-many-pods',
  title: 'Node near its pod limit',
  alerts: PODS_ALERTS,
  targets: ['node'],
  all: [fired(PODS_ALERTS), { fact: 'metrics.podsRatio', op: 'gte', value: 0.9, orUnknown: true }],
  confidence: 'high',
  specificity: 80,
  summary:
    '{{node}} runs {{metrics.runningPods|nearly as many pods as}} of the {{metrics.podCapacity|maximum}} pods it accepts ({{metrics.podsRatio|almost all}} of its slots). New pods will not be scheduled there ("Too many pods"), even with CPU and memory free. The limit is the kubelet `maxPods`; on EKS it follows from the IP addresses the instance type can give pods.',
  remediation: [
    'See what runs there: `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}` and `kubectl get node {{node}} -o jsonpath="{.status.capacity.pods}"`.',
    'Raise the limit where the node has the resources: the kubelet `maxPods`; on EKS with the VPC CNI, turn on prefix delegation (`kubectl set env daemonset aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true`) and raise `maxPods` in the node group launch template.',
    'Spread the pods: `topologySpreadConstraints` on the workloads that pile up here, fewer tiny pods (DaemonSets count on every node), or more nodes (cluster-autoscaler, Karpenter).',
  ],
};

export const ALERT_DRIVEN_NODE_SIGNATURES: readonly Signature[] = [
  nodeFilesystemFilling,
  nodeInodesExhausted,
  nodeClockUnsynchronised,
  nodeNetworkErrors,
  nodeFdLimit,
  kubeletTooManyPods,
];
