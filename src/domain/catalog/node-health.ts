// Built-in signatures for node health: disk, memory fragmentation, readiness, pressure, load.
import type { Signature } from '../signature.js';
import { aboutAnotherPart } from './alert-scope.js';

const NO_SPACE = 'no space left on device';

const diskFull: Signature = {
  id: 'disk-full',
  title: 'Node disk full: containers cannot be created and pods are evicted',
  targets: ['pod', 'node'],
  // The kubelet sets DiskPressure when its node or image filesystem crosses the eviction threshold, which
  // any disk that says "no space left on device" to the runtime has crossed.
  all: [{ fact: 'node.diskPressure', op: 'eq', value: 'True' }],
  none: aboutAnotherPart('filesystem'),
  support: [
    { fact: 'metrics.rootFsAvailableRatio', op: 'lt', value: 0.1 },
    { fact: 'events.pod', op: 'matches', pattern: `${NO_SPACE}|low on resource: ephemeral-storage` },
    {
      fact: 'events.node',
      op: 'matches',
      pattern: `${NO_SPACE}|Attempting to reclaim (ephemeral-storage|nodefs|imagefs)`,
    },
    { fact: 'events.node', op: 'matches', pattern: 'FreeDiskSpaceFailed|ImageGCFailed' },
    { fact: 'logs.previous', op: 'matches', pattern: `${NO_SPACE}|ENOSPC` },
    { fact: 'node.taints', op: 'matches', pattern: 'disk-pressure' },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 70,
  summary:
    'The disk that holds the kubelet and container runtime data on {{node}} is full or nearly so: sandboxes and containers cannot be created, image pulls and log writes fail with "no space left on device", and the kubelet evicts pods to win space back.',
  remediation: [
    'See what is full on {{node}}: `df -h / /var/lib/containerd /var/lib/kubelet` and `df -i` for inodes, then the big consumers: `du -xsh /var/lib/containerd /var/lib/kubelet /var/log/pods /var/log/journal 2>/dev/null`.',
    'Free space safely: `crictl rmi --prune` removes unused images, `journalctl --vacuum-size=500M` trims the journal; empty a huge log still held open with `truncate -s 0 <file>` rather than `rm` (`lsof +L1` lists deleted files that still hold space).',
    'Move workloads off while you clean: `kubectl cordon {{node}}` and `kubectl drain {{node}} --ignore-daemonsets --delete-emptydir-data`; `kubectl uncordon {{node}}` once space is back.',
    'Find the writer: pods logging heavily or filling emptyDir or their writable layer (`du -sh /var/lib/kubelet/pods/* | sort -h | tail`), or a host process outside Kubernetes; give such pods `ephemeral-storage` requests and limits.',
    'Make the kubelet clean up earlier: image garbage collection (`imageGCHighThresholdPercent`, `imageGCLowThresholdPercent`) and eviction thresholds (`evictionHard` for `nodefs.available` and `imagefs.available`) in the kubelet configuration, and a root volume sized for the images the node runs.',
  ],
};

const memoryFragmentation: Signature = {
  id: 'memory-fragmentation',
  title: 'Node memory fragmented: large page allocations fail and pod sandboxes cannot start',
  // It surfaces as pods stuck creating; no node alert is specific to it.
  targets: ['pod'],
  all: [{ fact: 'events.pod', op: 'matches', pattern: 'setns process for init caused.{0,20}exit status 6' }],
  support: [
    // Needs a node-problem-detector rule for the kernel message; decisive when present, but often absent.
    { fact: 'events.node', op: 'matches', pattern: 'page allocation failure[:.,]? *order:? *[1-9]' },
    { fact: 'logs.node', op: 'matches', pattern: 'page allocation failure[:.,]? *order:? *[1-9]' },
    // Plenty of memory available but no large blocks is what tells fragmentation from exhaustion.
    { fact: 'metrics.memoryAvailableRatio', op: 'gte', value: 0.2 },
  ],
  confidence: 'high',
  specificity: 88,
  summary:
    'The kernel on {{node}} cannot find enough physically contiguous memory: allocations of 2^N adjacent pages fail although memory as a whole is free. Creating a pod network namespace needs such blocks, so sandboxes fail (`setns` exits with status 6) and pods stay in ContainerCreating.',
  remediation: [
    'Confirm on {{node}}: `cat /proc/buddyinfo` (zeros in the right-hand columns mean no free blocks of high order) and `dmesg -T | grep -i "page allocation failure"` for the order that failed.',
    'Reclaim and defragment now: `sync; echo 3 > /proc/sys/vm/drop_caches`, then `echo 1 > /proc/sys/vm/compact_memory`. Both are expensive and can stall the node for a moment.',
    'Keep headroom so the kernel can compact on its own: reserve memory for the system with kubelet `systemReserved` and `kubeReserved`, and raise `vm.min_free_kbytes` moderately.',
    'If it comes back, drain and reboot: `kubectl drain {{node}} --ignore-daemonsets --delete-emptydir-data`. Kernels before 4.6 needed large blocks for each namespace conntrack table; a kernel upgrade removes that trigger.',
  ],
};

const nodeNotReady: Signature = {
  id: 'node-not-ready',
  title: 'Node not ready: the kubelet is not reporting a healthy status',
  targets: ['node', 'pod'],
  all: [{ fact: 'node.ready', op: 'in', values: ['False', 'Unknown'] }],
  none: aboutAnotherPart(),
  support: [
    {
      fact: 'node.readyMessage',
      op: 'matches',
      pattern:
        'stopped posting node status|PLEG is not healthy|container runtime (is down|status check)|network plugin|NetworkPluginNotReady',
    },
    { fact: 'node.taints', op: 'matches', pattern: 'node\\.kubernetes\\.io/(unreachable|not-ready)' },
    { fact: 'events.node', op: 'matches', pattern: 'NodeNotReady' },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 55,
  mechanism: true,
  summary:
    'Node {{node}} is not Ready (Ready={{node.ready}}): the control plane no longer gets a healthy status from its kubelet. Its pods are marked not ready and, once their tolerations for the not-ready and unreachable taints run out, evicted.',
  remediation: [
    'Read the conditions and recent events: `kubectl describe node {{node}}`, and what runs there: `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}`.',
    'On the node (SSH or SSM): `systemctl status kubelet containerd` and `journalctl -u kubelet --since "-30 min" | tail -100` for PLEG errors, certificate or API-server connection errors, or a runtime that does not answer.',
    'Check the usual killers: `df -h /` (full disk), `free -m` and `dmesg -T | grep -i oom` (memory), `uptime` (load); once the cause is fixed, `systemctl restart containerd kubelet`.',
    'If the machine is gone or unreachable (Ready=Unknown with no heartbeat), check the instance in the cloud console; replace it with `kubectl drain {{node}} --ignore-daemonsets --delete-emptydir-data` and `kubectl delete node {{node}}` so its pods are rescheduled.',
  ],
};

const nodePressure: Signature = {
  id: 'node-pressure',
  title: 'Node under memory or PID pressure: the kubelet evicts pods',
  targets: ['node', 'pod'],
  // The node lifecycle controller taints a node while MemoryPressure or PIDPressure is True: one fact for both. A pod
  // the kubelet evicted for memory or PIDs says so in its status, even once the node has recovered.
  all: [],
  any: [
    { fact: 'node.taints', op: 'matches', pattern: 'node\\.kubernetes\\.io/(memory|pid)-pressure' },
    {
      fact: 'pod.message',
      op: 'matches',
      pattern:
        'low on resource: (memory|pids|\\[(MemoryPressure|PIDPressure)\\])|had condition: \\[(MemoryPressure|PIDPressure)\\]',
    },
  ],
  none: aboutAnotherPart(),
  support: [
    { fact: 'node.memoryPressure', op: 'eq', value: 'True' },
    { fact: 'node.pidPressure', op: 'eq', value: 'True' },
    { fact: 'events.node', op: 'matches', pattern: 'Attempting to reclaim (memory|pids)' },
    { fact: 'events.pod', op: 'matches', pattern: 'low on resource: (memory|pids)' },
    { fact: 'pod.reason', op: 'eq', value: 'Evicted' },
    { fact: 'metrics.memoryAvailableRatio', op: 'lt', value: 0.1 },
    { fact: 'metrics.oomKillsRecent', op: 'gt', value: 0 },
  ],
  confidence: 'high',
  specificity: 65,
  summary:
    'Node {{node}} is (or was) short of memory or process IDs, and the kubelet evicts pods to protect the node: pods there are stopped or refused for reasons outside their own code. An eviction is the kubelet stopping the pod before the kernel has to, not an OOM kill.',
  remediation: [
    'See which pressure and what was evicted: `kubectl describe node {{node}}` (Conditions, Events), `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}},status.phase=Failed`.',
    'Find the consumer on {{node}}: `ps aux --sort=-rss | head` for memory, `ps -e -o pid,nlwp,comm --sort=-nlwp | head` for threads; `kubectl top pods -A --sort-by=memory` for the pods.',
    'Make pods declare what they use: memory requests near real usage and limits so one pod cannot starve the node; cap processes per pod with the kubelet `podPidsLimit`.',
    'Reserve room for the system and evict earlier: kubelet `systemReserved`, `kubeReserved` and `evictionHard` (`memory.available`, `pid.available`), so the kubelet acts before the kernel OOM killer does.',
  ],
};

const nodeHighLoad: Signature = {
  id: 'node-high-load',
  title: 'Node saturated: CPU load or I/O wait far above what it can serve',
  targets: ['node'],
  // Linux counts tasks blocked on I/O in the load average, so a disk-bound node shows here too.
  all: [{ fact: 'metrics.loadPerCore', op: 'gt', value: 2 }],
  // A loaded node is not the answer to an alert about one of its filesystems, devices or volumes.
  none: aboutAnotherPart(),
  support: [
    { fact: 'metrics.iowaitRatio', op: 'gt', value: 0.3 },
    { fact: 'events.node', op: 'matches', pattern: 'TaskHung|blocked for more than \\d+ seconds' },
    { fact: 'peers.failing', op: 'gte', value: 1 },
    { fact: 'metrics.memoryAvailableRatio', op: 'lt', value: 0.1 },
  ],
  confidence: 'high',
  specificity: 60,
  summary:
    'Node {{node}} is saturated: more tasks wait for a CPU or for the disk than it can serve, so everything on it slows down, applications, the kubelet and their probes alike.',
  remediation: [
    'On {{node}}: `top` (load average against the CPU count, `wa` for iowait; press 1 for each CPU) and `pidstat -u 1 5` for CPU per process.',
    'If iowait is high, find the disk and the writer: `iostat -x 1 5` (a device near 100% util with a long await), then `iotop -oP` or `pidstat -d 1 5`.',
    'Map processes to pods: `crictl ps` and `crictl stats` on the node, `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}`; processes in no container are host services (backups, agents, a database installed on the node).',
    'Relieve it: CPU requests and limits for the hog, spread replicas with topology spread constraints, move I/O-heavy work to its own volume or nodes; `kubectl cordon {{node}}` meanwhile.',
  ],
};

export const NODE_HEALTH_SIGNATURES: readonly Signature[] = [
  diskFull,
  memoryFragmentation,
  nodeNotReady,
  nodePressure,
  nodeHighLoad,
];
