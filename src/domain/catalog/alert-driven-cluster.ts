// Alert-driven signatures for a container's CPU limit, a namespace's quota, the cluster's capacity and control plane.
import type { Condition, Signature } from '../signature.js';

const fired = (alerts: readonly string[]): Condition => ({ fact: 'alert.name', op: 'in', values: alerts });

const THROTTLING_ALERTS = ['CPUThrottlingHigh'];

const cpuThrottling: Signature = {
  id: 'cpu-throttling',
  title: 'Container throttled at its CPU limit',
  alerts: THROTTLING_ALERTS,
  targets: ['pod'],
  all: [
    fired(THROTTLING_ALERTS),
    // kube-prometheus fires from 25% of the periods throttled.
    { fact: 'metrics.cpuThrottledRatio', op: 'gte', value: 0.25, orUnknown: true },
  ],
  support: [
    { fact: 'metrics.cpuLimitUsageRatio', op: 'gte', value: 0.8 },
    {
      fact: 'events.pod',
      op: 'matches',
      pattern: '(liveness|readiness) probe failed.{0,200}(timeout|deadline exceeded)',
    },
  ],
  confidence: 'high',
  specificity: 85,
  summary:
    "{{container}} in {{namespace}}/{{pod}} was throttled in {{metrics.cpuThrottledRatio|many}} of its 100 ms CFS periods: it uses {{metrics.cpuUsageCores|?}} cores against a CPU limit of {{metrics.cpuLimitCores|?}} cores (request {{metrics.cpuRequestCores|?}}). When its threads use up the quota early in a period they wait for the next one, so latency rises in bursts and probes can time out, even though the node has CPU to spare. Multi-threaded runtimes (Go, the JVM, Node.js worker pools) sized to the node's cores hit the quota first.",
  remediation: [
    'Confirm the usage against the limit: `kubectl top pod {{pod}} -n {{namespace}} --containers` and `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{.spec.containers[?(@.name=="{{container}}")].resources}\'`.',
    'Raise the CPU limit (keep the request as it is): `kubectl set resources {{workload}} -n {{namespace}} -c {{container}} --limits=cpu=<about twice {{metrics.cpuLimitCores|the current limit}} cores>`, or remove the limit where the namespace policy allows; the request still guarantees its share.',
    'Size the runtime to the limit, not the node: `GOMAXPROCS` (or go.uber.org/automaxprocs) for Go, `-XX:ActiveProcessorCount` for the JVM, worker counts for Node.js and Python servers.',
    'If the usage is new, find the hot path: profile `{{container}}` (pprof, async-profiler) and compare with the last rollout: `kubectl rollout history {{workload}} -n {{namespace}}`.',
  ],
};

const QUOTA_ALERTS = ['KubeQuotaExceeded', 'KubeQuotaFullyUsed', 'KubeQuotaAlmostFull'];
const QUOTA = '{{alert.label.resourcequota}}';

const quotaExceeded: Signature = {
  id: 'quota-exceeded',
  title: 'Namespace ResourceQuota used up',
  alerts: QUOTA_ALERTS,
  targets: ['namespace'],
  all: [
    fired(QUOTA_ALERTS),
    { fact: 'alert.label.resourcequota', op: 'exists' },
    { fact: 'quota.usedRatio', op: 'gte', value: 0.9, orUnknown: true },
  ],
  support: [
    { fact: 'quota.refusals', op: 'matches', pattern: 'exceeded quota' },
    { fact: 'quota.exhausted', op: 'exists' },
  ],
  confidence: 'high',
  specificity: 85,
  summary: `ResourceQuota ${QUOTA} in {{namespace}} has {{alert.label.resource}} at {{quota.usedRatio|its limit}}: {{quota.used|?}} used of {{quota.hard|?}}. The API server refuses every new pod (or object) that would go over it, so Deployments, Jobs and StatefulSets in {{namespace}} cannot create pods: their ReplicaSets report FailedCreate "exceeded quota", and rollouts and scale-ups stall while the running pods stay up.`,
  remediation: [
    `See the quota and who was refused: \`kubectl describe resourcequota ${QUOTA} -n {{namespace}}\` and \`kubectl get events -n {{namespace}} --field-selector reason=FailedCreate\`.`,
    `Raise it if the namespace needs the room (and whoever owns the quota agrees; change it in Git if it is managed there): \`kubectl patch resourcequota ${QUOTA} -n {{namespace}} --type merge -p '{"spec":{"hard":{"{{alert.label.resource|<resource>}}":"<new value>"}}}'\`.`,
    'Or free it: compare requests with real usage (`kubectl top pods -n {{namespace}}`) and lower over-generous requests, scale down what is idle (`kubectl get deploy,sts -n {{namespace}}`), delete finished Jobs that still hold pods.',
  ],
};

const OVERCOMMIT_ALERTS = ['KubeCPUOvercommit', 'KubeMemoryOvercommit'];

const overcommit: Signature = {
  id: 'overcommit',
  title: 'Cluster requests exceed what it can hold if a node fails',
  alerts: OVERCOMMIT_ALERTS,
  targets: ['cluster'],
  all: [
    fired(OVERCOMMIT_ALERTS),
    // kube-prometheus fires when the requests would not fit without the largest node.
    { fact: 'metrics.requestsOvercommitRatio', op: 'gte', value: 0.95, orUnknown: true },
  ],
  confidence: 'high',
  specificity: 75,
  summary:
    'Pods in the cluster request {{metrics.requestsTotal|more}} of {{metrics.overcommitResource|cpu or memory}} against {{metrics.allocatableTotal|the}} allocatable: {{metrics.requestsOvercommitRatio|more than all}} of what remains if the largest node is lost. Everything runs now, but a node failure, drain or upgrade leaves pods Pending with "Insufficient {{metrics.overcommitResource|cpu or memory}}" until capacity is added.',
  remediation: [
    'See where the requests sit: `kubectl describe nodes | grep -A 8 "Allocated resources"`, and in Prometheus `topk(10, namespace_cpu:kube_pod_container_resource_requests:sum)` (or `namespace_memory:…`) for the namespaces requesting most.',
    'Add capacity: scale the node group up (cluster-autoscaler or Karpenter should do this; check their logs if they did not), or add a larger node.',
    'Or lower requests that are far above use: `kubectl top pods -A --sort-by=cpu` against the requests; a VerticalPodAutoscaler in recommendation mode suggests values.',
    'If running without headroom for a node failure is a deliberate choice, tune or silence KubeCPUOvercommit / KubeMemoryOvercommit rather than ignore them.',
  ],
};

const CONTROL_PLANE_ALERTS = ['KubeSchedulerDown', 'KubeControllerManagerDown'];

const controlPlaneNotScraped: Signature = {
  id: 'control-plane-not-scraped',
  title: 'Control-plane alert on a managed cluster: Prometheus cannot scrape it',
  alerts: CONTROL_PLANE_ALERTS,
  targets: ['cluster'],
  all: [
    fired(CONTROL_PLANE_ALERTS),
    { fact: 'cluster.provider', op: 'exists' },
    // A cluster that registers its control plane as nodes (kops, kubeadm) can be scraped: the alert is real there.
    { fact: 'cluster.controlPlaneNodes', op: 'eq', value: 0 },
  ],
  confidence: 'high',
  specificity: 90,
  summary:
    '{{alertname}} says Prometheus has no `{{alert.label.job|control-plane}}` target, and on {{cluster.provider}} it cannot have one: the provider runs the scheduler and controller manager outside the cluster and exposes no metrics endpoint for them, so the rule (`absent(up{job="{{alert.label.job}}"})`) fires forever. It says nothing about the health of the control plane, and it will keep firing until the alerting is told the platform.',
  remediation: [
    'Check that the control plane works: `kubectl get --raw="/readyz?verbose"`, pods are being scheduled (`kubectl get pods -A --field-selector=status.phase=Pending`) and controllers act (`kubectl get events -A --field-selector reason=FailedScheduling`).',
    "kube-prometheus (jsonnet): set the platform so the managed-cluster addon drops these rules and ServiceMonitors: `values+:: { common+: { platform: 'eks' } }` (or `'gke'`, `'aks'`), and regenerate the manifests.",
    'kube-prometheus-stack (Helm): `--set kubeScheduler.enabled=false --set kubeControllerManager.enabled=false --set kubeEtcd.enabled=false`, which removes the scrape targets and their rules.',
    'Until then, keep them out of on-call: an Alertmanager route for `alertname=~"KubeSchedulerDown|KubeControllerManagerDown"` to a null receiver.',
  ],
};

export const ALERT_DRIVEN_CLUSTER_SIGNATURES: readonly Signature[] = [
  cpuThrottling,
  quotaExceeded,
  overcommit,
  controlPlaneNotScraped,
];
