// The built-in playbook: signatures from the field-guide catalog (ids are stable API), as one typed data table.
import type { Signature } from './signature.js';

const containerOomKilled: Signature = {
  id: 'container-oom-killed',
  title: 'Container killed at its memory limit (cgroup OOM)',
  targets: ['pod'],
  all: [{ fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' }],
  support: [
    { fact: 'container.exitCode', op: 'eq', value: 137 },
    { fact: 'container.memoryLimit', op: 'exists' },
    { fact: 'metrics.memoryUsageRatio', op: 'gte', value: 0.8 },
    { fact: 'container.restartCount', op: 'gte', value: 3 },
  ],
  confidence: 'high',
  specificity: 80,
  summary:
    'The kernel killed container {{container}} of {{namespace}}/{{pod}} because it went over its {{container.memoryLimit}} memory limit (OOMKilled, exit 137); it has restarted {{container.restartCount}} times.',
  remediation: [
    'See how close the container runs to its limit: `kubectl top pod {{pod}} -n {{namespace}} --containers`, and over a day in Prometheus: `max_over_time(container_memory_working_set_bytes{namespace="{{namespace}}", pod="{{pod}}", container="{{container}}"}[1d])`.',
    'If memory climbs steadily until each kill, treat it as a leak: take a heap profile or dump before the limit is reached and fix the allocation that grows.',
    'If the workload genuinely needs more, raise the limit (and the request with it): `kubectl set resources {{workload}} -n {{namespace}} -c {{container}} --limits=memory=<new limit> --requests=memory=<new request>`.',
    'For runtimes with their own heap (JVM, Node.js, .NET), cap the heap below the container limit, e.g. `-XX:MaxRAMPercentage=75`, so the runtime collects garbage before the cgroup kills it.',
  ],
};

const livenessProbeKill: Signature = {
  id: 'liveness-probe-kill',
  title: 'Container restarted by a failing liveness probe',
  targets: ['pod'],
  all: [
    { fact: 'container.exitCode', op: 'in', values: [137, 143] },
    { fact: 'events.pod', op: 'matches', pattern: 'failed liveness probe, will be restarted' },
  ],
  none: [{ fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' }],
  support: [
    { fact: 'events.pod', op: 'matches', pattern: 'Liveness probe failed' },
    { fact: 'container.restartCount', op: 'gte', value: 3 },
  ],
  confidence: 'high',
  specificity: 60,
  summary:
    'The kubelet killed container {{container}} of {{namespace}}/{{pod}} because its liveness probe kept failing (exit {{container.exitCode}}); it has restarted {{container.restartCount}} times.',
  remediation: [
    'Read why the probe failed: `kubectl describe pod {{pod}} -n {{namespace}}` (events `Unhealthy`), and the log of the killed instance: `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous --tail=100`.',
    'Call the probe endpoint yourself while the container runs, e.g. `kubectl exec -n {{namespace}} {{pod}} -c {{container}} -- wget -qO- -T 1 http://127.0.0.1:<port>/<path>`, and time it against the probe `timeoutSeconds`.',
    'If the application is merely slow under load or at start-up, raise `timeoutSeconds`/`failureThreshold` or add a `startupProbe`; keep the liveness check cheap and independent of downstream services.',
    'If probes of several pods on {{node}} time out at once, look at the node instead: listen backlog (`nstat -az TcpExtListenOverflows`), conntrack (`sysctl net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max`) and open files.',
  ],
};

const conntrackTableFull: Signature = {
  id: 'conntrack-table-full',
  title: 'Node conntrack table full: new connections are dropped',
  targets: ['pod', 'node'],
  all: [{ fact: 'metrics.conntrackRatio', op: 'gte', value: 0.9 }],
  support: [
    { fact: 'metrics.conntrackDropRate', op: 'gt', value: 0 },
    { fact: 'peers.failing', op: 'gte', value: 1 },
    { fact: 'events.node', op: 'matches', pattern: 'nf_conntrack: table full' },
    {
      fact: 'logs.previous',
      op: 'matches',
      pattern: 'no such host|i/o timeout|connection timed out|dial tcp',
    },
  ],
  confidence: 'high',
  specificity: 90,
  summary:
    'The connection-tracking table on {{node}} is at {{metrics.conntrackRatio}} of its {{metrics.conntrackLimit}} entries, so the kernel drops new connections: DNS lookups, probes and API calls of every pod on the node fail, whatever the pod.',
  remediation: [
    'Confirm on the node: `sysctl net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max` and `journalctl -k | grep "nf_conntrack: table full"` on {{node}}.',
    'Find who holds the entries: `conntrack -L 2>/dev/null | grep -oE "src=[0-9a-f.:]+" | sort | uniq -c | sort -rn | head` on {{node}}, then match the addresses to pods with `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}`.',
    'Fix the leak at its source: a client created per request or per reconcile loop that never closes idle connections is the usual culprit; reuse one client and set idle-connection timeouts.',
    'Buy headroom meanwhile: `sysctl -w net.netfilter.nf_conntrack_max=<about twice {{metrics.conntrackLimit}}>` and persist it under /etc/sysctl.d/ (kube-proxy `--conntrack-max-per-core` may set it again at restart).',
    'Relieve the node now: `kubectl cordon {{node}}` and delete the failing pods so their controllers recreate them on healthy nodes.',
  ],
};

export const BUILT_IN_SIGNATURES: readonly Signature[] = [
  containerOomKilled,
  livenessProbeKill,
  conntrackTableFull,
];
