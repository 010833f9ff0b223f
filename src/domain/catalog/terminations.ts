// Built-in signatures for container terminations: the four causes of exit 137, and the other exit codes.
import type { Signature } from '../signature.js';
import { EXIT_CODE_SIGNATURES } from './exit-codes.js';

/** The kubelet's event when it kills a container for a failing liveness (or startup) probe. */
const PROBE_KILL = 'failed (liveness|startup) probe, will be restarted';
/** A kernel OOM kill outside any cgroup limit: kubelet's SystemOOM event or the kernel line node-problem-detector relays. */
const SYSTEM_OOM = 'System OOM encountered|(?<!cgroup )out of memory: kill(ed)? process';

const containerOomKilled: Signature = {
  id: 'container-oom-killed',
  title: 'Container killed at its memory limit (cgroup OOM)',
  targets: ['pod'],
  // OOMKilled at a limit, or Error/137 (or a parent's exit 1) with the working set at the limit and a kernel OOM kill
  // recorded; never OOMKilled without a limit or far below it while the node ran short (memory.oomScope).
  all: [{ fact: 'memory.oomScope', op: 'eq', value: 'container-limit' }],
  support: [
    { fact: 'container.exitCode', op: 'eq', value: 137 },
    { fact: 'container.memoryLimit', op: 'exists' },
    { fact: 'events.node', op: 'matches', pattern: 'memory cgroup out of memory' },
    { fact: 'logs.node', op: 'matches', pattern: 'memory cgroup out of memory' },
    {
      fact: 'logs.previous',
      op: 'matches',
      pattern: '^(\\[\\d+\\] )?Killed$|signal:? SIGKILL|errno 137|exit(ed)? (with )?(code|status) 137',
    },
    { fact: 'metrics.memoryUsageRatio', op: 'gte', value: 0.8 },
    { fact: 'container.restartCount', op: 'gte', value: 3 },
  ],
  confidence: 'high',
  specificity: 80,
  summary:
    'The kernel killed container {{container}} of {{namespace}}/{{pod}} (or a process in it) because it went over its {{container.memoryLimit}} memory limit; the container ended with exit {{container.exitCode}} and has restarted {{container.restartCount}} times.',
  remediation: [
    'See how close the container runs to its limit: `kubectl top pod {{pod}} -n {{namespace}} --containers`, and over a day in Prometheus: `max_over_time(container_memory_working_set_bytes{namespace="{{namespace}}", pod="{{pod}}", container="{{container}}"}[1d])`.',
    'If memory climbs steadily until each kill, treat it as a leak: take a heap profile or dump before the limit is reached and fix the allocation that grows.',
    'If the workload genuinely needs more, raise the limit (and the request with it): `kubectl set resources {{workload}} -n {{namespace}} -c {{container}} --limits=memory=<new limit> --requests=memory=<new request>`.',
    'For runtimes with their own heap (JVM, Node.js, .NET), cap the heap below the container limit, e.g. `-XX:MaxRAMPercentage=75`, so the runtime collects garbage before the cgroup kills it.',
    'If the working set stayed well below the limit, check whether {{node}} itself ran out of memory (`journalctl -k | grep -iE "out of memory|oom-kill"` on the node): with cgroup v2 a node-wide OOM kill is also reported as OOMKilled.',
  ],
};

const nodeOomKill: Signature = {
  id: 'node-oom-kill',
  title: 'Container killed by a node-wide (system) OOM',
  targets: ['pod'],
  all: [{ fact: 'container.exitCode', op: 'eq', value: 137 }],
  any: [
    { fact: 'events.node', op: 'matches', pattern: SYSTEM_OOM },
    { fact: 'node.memoryPressure', op: 'eq', value: 'True' },
    { fact: 'memory.oomScope', op: 'eq', value: 'node' },
  ],
  none: [
    { fact: 'memory.oomScope', op: 'eq', value: 'container-limit' },
    { fact: 'events.pod', op: 'matches', pattern: PROBE_KILL },
    // The kubelet's own eviction under MemoryPressure is node-pressure, not a kernel kill.
    { fact: 'pod.reason', op: 'eq', value: 'Evicted' },
  ],
  support: [
    { fact: 'metrics.oomKillsRecent', op: 'gte', value: 1 },
    { fact: 'metrics.memoryAvailableRatio', op: 'lte', value: 0.1 },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 85,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} was SIGKILLed (exit 137, reason {{container.terminationReason}}) without reaching a memory limit of its own: {{node}} as a whole ran out of memory and the kernel OOM killer picked a victim (under cgroup v2 such a victim is reported OOMKilled too). The pod is the casualty; the cause is whatever filled the node.',
  remediation: [
    'Confirm on the node and see who the kernel killed and why: `journalctl -k --since "-2h" | grep -iE "out of memory|oom-kill|killed process"` on {{node}}; `kubectl get events -A --field-selector involvedObject.kind=Node,involvedObject.name={{node}}`.',
    'Find the memory hog: `kubectl top pods -A --sort-by=memory | head -20` for pods on the node (`kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}`), and `ps aux --sort=-rss | head` on {{node}} for processes outside Kubernetes (agents, log shippers, a runaway sshd session).',
    'Pods without memory limits, or whose limits add up beyond the node, are the usual fuel: `kubectl describe node {{node}}` and compare "Allocated resources" memory limits with allocatable; give them limits.',
    'Reserve memory for the system so pods cannot starve it: set kubelet `systemReserved`/`kubeReserved` memory and an `evictionHard` `memory.available` threshold (on EKS through the node group launch template or bootstrap `--kubelet-extra-args`).',
    'Relieve the node meanwhile: `kubectl cordon {{node}}`, then move the heaviest pods elsewhere with `kubectl drain {{node}} --ignore-daemonsets --delete-emptydir-data` if the kills go on.',
  ],
};

const livenessProbeKill: Signature = {
  id: 'liveness-probe-kill',
  title: 'Container restarted by a failing liveness probe',
  targets: ['pod'],
  all: [
    // 0 too: a process that handles the kubelet's SIGTERM exits cleanly, and the kill events still say who stopped it.
    { fact: 'container.exitCode', op: 'in', values: [0, 137, 143] },
    { fact: 'events.pod', op: 'matches', pattern: PROBE_KILL },
  ],
  none: [
    { fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' },
    { fact: 'memory.oomScope', op: 'eq', value: 'container-limit' },
  ],
  support: [
    { fact: 'events.pod', op: 'matches', pattern: '(Liveness|Startup) probe failed' },
    { fact: 'container.restartCount', op: 'gte', value: 3 },
  ],
  confidence: 'high',
  specificity: 60,
  mechanism: true,
  summary:
    'The kubelet killed container {{container}} of {{namespace}}/{{pod}} because its liveness (or startup) probe kept failing (exit {{container.exitCode}}); it has restarted {{container.restartCount}} times.',
  remediation: [
    'Read why the probe failed: `kubectl describe pod {{pod}} -n {{namespace}}` (events `Unhealthy`), and the log of the killed instance: `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous --tail=100`.',
    'Call the probe endpoint yourself while the container runs, e.g. `kubectl exec -n {{namespace}} {{pod}} -c {{container}} -- wget -qO- -T {{container.livenessTimeoutSeconds|1}} {{container.livenessUrl|http://127.0.0.1:<port>/<path>}}`, and time it against the probe `timeoutSeconds`.',
    'If the application is merely slow under load or at start-up, raise `timeoutSeconds`/`failureThreshold` or add a `startupProbe`; keep the liveness check cheap and independent of downstream services.',
    'If probes of several pods on {{node}} time out at once, look at the node instead: listen backlog (`nstat -az TcpExtListenOverflows`), conntrack (`sysctl net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max`) and open files.',
  ],
};

const externalSigkill: Signature = {
  id: 'external-sigkill',
  title: 'Container SIGKILLed (exit 137) by an unidentified sender',
  targets: ['pod'],
  all: [
    { fact: 'container.exitCode', op: 'eq', value: 137 },
    // Held as conditions rather than exclusions so that unreadable events are listed as not checked.
    // Failing liveness probes make a probe kill likely even when the kill event itself has expired.
    {
      fact: 'events.pod',
      op: 'notMatches',
      pattern: `${PROBE_KILL}|(Liveness|Startup) probe failed`,
      orUnknown: true,
    },
    { fact: 'events.node', op: 'notMatches', pattern: SYSTEM_OOM, orUnknown: true },
  ],
  none: [
    { fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' },
    { fact: 'node.memoryPressure', op: 'eq', value: 'True' },
    { fact: 'pod.deletionAgeSeconds', op: 'exists' },
    { fact: 'pod.reason', op: 'eq', value: 'Evicted' },
    { fact: 'memory.oomScope', op: 'exists' },
  ],
  support: [{ fact: 'container.restartCount', op: 'gte', value: 1 }],
  confidence: 'low',
  specificity: 10,
  mechanism: true,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} died from SIGKILL (exit 137), but nothing gathered explains it: it was not OOMKilled at its limit, the kubelet did not kill it for a probe, and {{node}} shows no system OOM. Something else sent the signal; find out what before changing limits or probes.',
  remediation: [
    'Look for an OOM kill the events missed (no node-problem-detector, or the event expired): `journalctl -k --since "-2h" | grep -iE "out of memory|oom-kill|killed process"` on {{node}}.',
    'Look at what the kubelet and runtime did with the container: `journalctl -u kubelet -u containerd --since "-2h" | grep {{pod}}` on {{node}}, and `kubectl get events -n {{namespace}} --field-selector involvedObject.name={{pod}}`.',
    'Check whether the process inside was killed by its own supervisor or wrapper (a `timeout`, tini/dumb-init forwarding, a sidecar with `shareProcessNamespace`): `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous --tail=50`.',
    'If it keeps happening, record who sends the signal: a SystemTap/bpftrace probe on `signal_generate` for the container PID (`crictl inspect <container id> | jq .info.pid`) on {{node}} names the sender and its parents; an unknown sender process is a sign of compromise.',
  ],
};

export const TERMINATION_SIGNATURES: readonly Signature[] = [
  containerOomKilled,
  nodeOomKill,
  livenessProbeKill,
  externalSigkill,
  ...EXIT_CODE_SIGNATURES,
];
