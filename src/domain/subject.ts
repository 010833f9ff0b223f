// What an alert is about: the subject its labels name (pod, workload, volume claim, node, namespace or cluster).
// Labels describe the exporter as often as the workload (see test/fixtures/kube-prometheus/README.md), so the
// kind of alert decides which labels are read; every name is checked against Kubernetes' own rules before use.

import type { Target, WorkloadKind } from './context.js';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './identifiers.js';

/** kube-state-metrics names the object of a workload alert in a label of its own, and carries no `pod`. */
const WORKLOAD_LABELS: readonly (readonly [string, WorkloadKind])[] = [
  ['deployment', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['job_name', 'Job'],
  ['horizontalpodautoscaler', 'HorizontalPodAutoscaler'],
  ['poddisruptionbudget', 'PodDisruptionBudget'],
];

/** Labels that name the exporter, not the workload (kube-prometheus target labels). */
const EXPORTER_CONTAINERS = new Set([
  'kube-rbac-proxy',
  'kube-rbac-proxy-main',
  'kube-rbac-proxy-self',
  'node-exporter',
]);
const NODE_EXPORTER_JOBS = new Set(['node-exporter', 'node']);

/** Scrape jobs of the control plane and cluster services: their alerts are about the cluster, not a namespace. */
const CLUSTER_JOBS = new Set([
  'apiserver',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'kubelet',
  'etcd',
  'coredns',
  'kube-dns',
]);

/** Alerts about the whole cluster whatever labels they keep (aggregations drop most of them). */
const CLUSTER_ALERTS = new Set([
  'KubeCPUOvercommit',
  'KubeMemoryOvercommit',
  'KubeletDown',
  'KubeVersionMismatch',
  'KubeAPIErrorBudgetBurn',
  'KubeAPIDown',
  'KubeAPITerminatedRequests',
  'KubeAggregatedAPIDown',
  'KubeAggregatedAPIErrors',
  'KubeClientErrors',
  'KubeControllerManagerDown',
  'KubeSchedulerDown',
  'KubeProxyDown',
  'CoreDNSDown',
  'KubeStateMetricsListErrors',
  'KubeStateMetricsWatchErrors',
]);

/** Kubernetes' rule for namespaces and container names (DNS-1123 label). */
export const isLabelName = (value: string): boolean => DNS1123_LABEL.test(value);
/** Kubernetes' rule for most object names: pods, nodes, workloads, claims (DNS-1123 subdomain). */
export const isObjectName = (value: string): boolean => DNS1123_SUBDOMAIN.test(value);

const IPV4_TARGET = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?$/;
const IPV6_TARGET = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/;

/** A scrape target `ip:port` (or a bare IP): the address, else undefined. */
export function scrapeAddress(instance: string | undefined): string | undefined {
  if (!instance) return undefined;
  const match = IPV4_TARGET.exec(instance) ?? IPV6_TARGET.exec(instance);
  return match?.[1];
}

/** node-exporter's `instance` is the node name in kube-prometheus, `<ip>:9100` in kube-prometheus-stack. */
function nodeFromInstance(instance: string): Pick<Target, 'node' | 'nodeAddress'> | undefined {
  const address = scrapeAddress(instance);
  if (address) return { nodeAddress: address };
  const name = instance.replace(/:\d{1,5}$/, '');
  return { node: name };
}

function isNodeExporterAlert(labels: Readonly<Record<string, string>>): boolean {
  // The scrape job decides when there is one: a kube-state-metrics alert about the exporter's own pod is a pod alert.
  if (labels.job) return NODE_EXPORTER_JOBS.has(labels.job);
  return (labels.pod ?? '').startsWith('node-exporter-') && labels.instance !== undefined;
}

/** The subject before validation: which kind, and the names the labels give for it. */
function named(labels: Readonly<Record<string, string>>): Target {
  const alertname = labels.alertname ?? '';
  const namespace = labels.namespace;

  if (isNodeExporterAlert(labels)) {
    const node = labels.node
      ? { node: labels.node }
      : labels.instance
        ? nodeFromInstance(labels.instance)
        : undefined;
    // TargetDown names the job alone: no node, so it is about the exporter's namespace (below).
    if (node) return { kind: 'node', ...node };
  } else if (namespace && labels.pod) {
    const container =
      labels.container && !EXPORTER_CONTAINERS.has(labels.container) ? labels.container : undefined;
    return {
      kind: 'pod',
      namespace,
      pod: labels.pod,
      ...(container ? { container } : {}),
      ...(labels.node ? { node: labels.node } : {}),
    };
  }
  for (const [label, kind] of WORKLOAD_LABELS) {
    const name = labels[label];
    if (name && namespace) return { kind: 'workload', namespace, workload: { kind, name } };
  }
  if (labels.persistentvolumeclaim && namespace) {
    return {
      kind: 'pvc',
      namespace,
      pvc: labels.persistentvolumeclaim,
      // The kubelet that reports the volume's stats: where it is mounted, not what the alert is about.
      ...(labels.node ? { node: labels.node } : {}),
    };
  }
  if (labels.persistentvolume) return { kind: 'pvc', volume: labels.persistentvolume };
  if (labels.node) return { kind: 'node', node: labels.node };
  if (CLUSTER_ALERTS.has(alertname) || CLUSTER_JOBS.has(labels.job ?? '')) return { kind: 'cluster' };
  if (namespace) {
    return { kind: 'namespace', namespace, ...(labels.resourcequota ? { quota: labels.resourcequota } : {}) };
  }
  return { kind: 'cluster' };
}

/** The first name that breaks Kubernetes' rules, described; undefined when all are valid. */
function invalidName(target: Target): string | undefined {
  const checks: [string, string | undefined, (v: string) => boolean][] = [
    ['namespace', target.namespace, isLabelName],
    ['pod', target.pod, isObjectName],
    ['container', target.container, isLabelName],
    ['node', target.node, isObjectName],
    [target.workload?.kind.toLowerCase() ?? 'workload', target.workload?.name, isObjectName],
    ['persistentvolumeclaim', target.pvc, isObjectName],
    ['persistentvolume', target.volume, isObjectName],
    ['resourcequota', target.quota, isObjectName],
  ];
  for (const [what, value, valid] of checks) {
    if (value !== undefined && !valid(value))
      return `the alert names an invalid ${what}: ${JSON.stringify(value.slice(0, 80))}`;
  }
  return undefined;
}

/**
 * Where the alert points. A name that Kubernetes could not have given (a selector, a path segment, shell text) is
 * never used to build a request: the subject becomes `none` and says why.
 */
export function resolveTarget(labels: Readonly<Record<string, string>>): Target {
  const target = named(labels);
  const invalid = invalidName(target);
  return invalid ? { kind: 'none', invalid } : target;
}

/** How messages and incidents name a subject: `deployment/payments/checkout-api`, `node/ip-10-0-0-1`, `cluster`. */
export function subjectLabel(target: Target): string {
  switch (target.kind) {
    case 'pod':
      return `pod/${target.namespace}/${target.pod}`;
    case 'workload':
      return `${target.workload?.kind.toLowerCase()}/${target.namespace}/${target.workload?.name}`;
    case 'pvc':
      return target.pvc
        ? `persistentvolumeclaim/${target.namespace}/${target.pvc}`
        : `persistentvolume/${target.volume}`;
    case 'node':
      return `node/${target.node ?? target.nodeAddress}`;
    case 'namespace':
      return target.quota
        ? `resourcequota/${target.namespace}/${target.quota}`
        : `namespace/${target.namespace}`;
    case 'cluster':
      return 'cluster';
    case 'none':
      return 'no subject';
  }
}

/** The subject as a message header says it: `payments/checkout-api-… (api)` for a pod, `node ip-…`, else its label. */
export function subjectTitle(target: Target, withContainer = true): string {
  if (target.kind === 'pod') {
    const container = withContainer && target.container ? ` (${target.container})` : '';
    return `${target.namespace}/${target.pod}${container}`;
  }
  if (target.kind === 'node' && target.node) return `node ${target.node}`;
  return subjectLabel(target);
}

/** The first command to run on a subject (names are validated, so they are safe in a shell); undefined if none. */
export function describeCommand(target: Target): string | undefined {
  switch (target.kind) {
    case 'pod':
      return `kubectl describe pod ${target.pod} -n ${target.namespace}`;
    case 'workload':
      return `kubectl describe ${target.workload?.kind.toLowerCase()} ${target.workload?.name} -n ${target.namespace}`;
    case 'pvc':
      return target.pvc
        ? `kubectl describe pvc ${target.pvc} -n ${target.namespace}`
        : `kubectl describe pv ${target.volume}`;
    case 'node':
      return target.node ? `kubectl describe node ${target.node}` : undefined;
    case 'namespace':
      return target.quota
        ? `kubectl describe resourcequota ${target.quota} -n ${target.namespace}`
        : `kubectl get events -n ${target.namespace} --sort-by=.lastTimestamp`;
    default:
      return undefined;
  }
}
