// Built-in signatures for container terminations: the four causes of exit 137 and the other exit codes.
import type { Signature } from '../signature.js';

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

export const TERMINATION_SIGNATURES: readonly Signature[] = [containerOomKilled, livenessProbeKill];
