// Prometheus queries whose parameters come from the alert: the mountpoint, device, claim or container that fired.
import type { Target } from './context.js';
import { type MetricQuery, q } from './metric-queries.js';

/** Growth is measured over this window, as kube-prometheus' filling-up rules predict from 6 hours. */
const GROWTH_WINDOW = '6h';

/**
 * A label value fit for a query: quoting is handled by q(), but a value with control characters is no name any
 * exporter gives, so it is left out rather than sent.
 */
function usable(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || value.length > 512) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  return /[\u0000-\u001f\u007f]/.test(value) ? undefined : value;
}

function matchers(pairs: readonly (readonly [string, string | undefined])[]): string {
  return pairs.flatMap(([k, v]) => (v === undefined ? [] : [`${k}="${q(v)}"`])).join(', ');
}

/** The alert's node-exporter instance, when its subject is a node read through node-exporter. */
export function nodeExporterInstance(
  labels: Readonly<Record<string, string>>,
  target: Target,
): string | undefined {
  if (target.kind !== 'node') return undefined;
  if (labels.job !== undefined && labels.job !== 'node-exporter' && labels.job !== 'node') return undefined;
  return usable(labels.instance);
}

/** The filesystem named by the alert: that mountpoint, that device, that filesystem type. */
function filesystemQueries(instance: string, labels: Readonly<Record<string, string>>): MetricQuery[] {
  const mountpoint = usable(labels.mountpoint);
  if (!mountpoint) return [];
  const sel = matchers([
    ['instance', instance],
    ['mountpoint', mountpoint],
    ['device', usable(labels.device)],
    ['fstype', usable(labels.fstype)],
  ]);
  return [
    { key: 'fsAvailBytes', promql: `max(node_filesystem_avail_bytes{${sel}})` },
    { key: 'fsSizeBytes', promql: `max(node_filesystem_size_bytes{${sel}})` },
    { key: 'fsFilesFree', promql: `max(node_filesystem_files_free{${sel}})` },
    { key: 'fsFiles', promql: `max(node_filesystem_files{${sel}})` },
    // free_bytes falls as avail_bytes does (it adds the root-reserved blocks), and keeps the two queries apart.
    {
      key: 'fsFillBytesPerSecond',
      promql: `max(-deriv(node_filesystem_free_bytes{${sel}}[${GROWTH_WINDOW}]))`,
    },
  ];
}

/** Errors and drops of the network device named by the alert. */
function networkQueries(instance: string, labels: Readonly<Record<string, string>>): MetricQuery[] {
  const device = usable(labels.device);
  if (!device || labels.mountpoint !== undefined) return [];
  const sel = matchers([
    ['instance', instance],
    ['device', device],
  ]);
  const rate = (metric: string) => `sum(rate(${metric}{${sel}}[5m]))`;
  return [
    { key: 'netReceiveErrsRate', promql: rate('node_network_receive_errs_total') },
    { key: 'netReceivePacketsRate', promql: rate('node_network_receive_packets_total') },
    { key: 'netTransmitErrsRate', promql: rate('node_network_transmit_errs_total') },
    { key: 'netTransmitPacketsRate', promql: rate('node_network_transmit_packets_total') },
    { key: 'netReceiveDropRate', promql: rate('node_network_receive_drop_total') },
    { key: 'netMtuBytes', promql: `max(node_network_mtu_bytes{${sel}})` },
  ];
}

/** The kernel's view of the clock (timex): offset, the worst-case error, and whether it is synchronised. */
function clockQueries(instance: string): MetricQuery[] {
  const sel = `instance="${q(instance)}"`;
  return [
    { key: 'clockOffsetSeconds', promql: `max(node_timex_offset_seconds{${sel}})` },
    { key: 'clockMaxErrorSeconds', promql: `max(node_timex_maxerror_seconds{${sel}})` },
    { key: 'clockSyncStatus', promql: `min(min_over_time(node_timex_sync_status{${sel}}[5m]))` },
  ];
}

/** Pods the kubelet runs against the node's pod capacity. */
function podCapacityQueries(node: string): MetricQuery[] {
  return [
    { key: 'runningPods', promql: `max(kubelet_running_pods{node="${q(node)}"})` },
    {
      key: 'podCapacity',
      promql: `max(kube_node_status_capacity{node="${q(node)}", resource="pods"})`,
    },
  ];
}

/** The claim's volume stats, as the kubelet that mounts it reports them. */
export function claimQueries(namespace: string, claim: string): MetricQuery[] {
  const sel = matchers([
    ['namespace', namespace],
    ['persistentvolumeclaim', claim],
  ]);
  return [
    { key: 'pvcAvailableBytes', promql: `max(kubelet_volume_stats_available_bytes{${sel}})` },
    { key: 'pvcCapacityBytes', promql: `max(kubelet_volume_stats_capacity_bytes{${sel}})` },
    { key: 'pvcInodesFree', promql: `max(kubelet_volume_stats_inodes_free{${sel}})` },
    { key: 'pvcInodes', promql: `max(kubelet_volume_stats_inodes{${sel}})` },
    {
      key: 'pvcFillBytesPerSecond',
      promql: `max(deriv(kubelet_volume_stats_used_bytes{${sel}}[${GROWTH_WINDOW}]))`,
    },
  ];
}

/** CFS throttling of the container against its CPU limit. */
function throttlingQueries(namespace: string, pod: string, container: string): MetricQuery[] {
  const sel = matchers([
    ['namespace', namespace],
    ['pod', pod],
    ['container', container],
  ]);
  return [
    {
      key: 'cpuThrottledPeriodsRate',
      promql: `sum(rate(container_cpu_cfs_throttled_periods_total{${sel}}[5m]))`,
    },
    { key: 'cpuPeriodsRate', promql: `sum(rate(container_cpu_cfs_periods_total{${sel}}[5m]))` },
    { key: 'cpuUsageCores', promql: `sum(rate(container_cpu_usage_seconds_total{${sel}}[5m]))` },
    { key: 'cpuLimitCores', promql: `max(kube_pod_container_resource_limits{${sel}, resource="cpu"})` },
    {
      key: 'cpuRequestCores',
      promql: `max(kube_pod_container_resource_requests{${sel}, resource="cpu"})`,
    },
  ];
}

/** Requests against allocatable, and the largest node: kube-prometheus' overcommit rule in parts. */
function overcommitQueries(resource: 'cpu' | 'memory'): MetricQuery[] {
  const prefix = resource === 'cpu' ? 'cpu' : 'memory';
  return [
    {
      key: `${prefix}RequestsTotal`,
      promql: `sum(namespace_${resource}:kube_pod_container_resource_requests:sum)`,
    },
    {
      key: `${prefix}AllocatableTotal`,
      promql: `sum(kube_node_status_allocatable{resource="${resource}"})`,
    },
    {
      key: `${prefix}AllocatableLargest`,
      promql: `max(kube_node_status_allocatable{resource="${resource}"})`,
    },
  ];
}

const OVERCOMMIT: Readonly<Record<string, 'cpu' | 'memory'>> = {
  KubeCPUOvercommit: 'cpu',
  KubeMemoryOvercommit: 'memory',
};

/** The queries an alert asks for, given its subject and, once known, its node and container. */
export function alertQueries(
  labels: Readonly<Record<string, string>>,
  target: Target,
  node: string | undefined,
  container: string | undefined,
): MetricQuery[] {
  const queries: MetricQuery[] = [];
  const instance = nodeExporterInstance(labels, target);
  if (instance) {
    queries.push(...filesystemQueries(instance, labels), ...networkQueries(instance, labels));
    queries.push(...clockQueries(instance));
  }
  if (target.kind === 'node' && node) queries.push(...podCapacityQueries(node));
  if (target.kind === 'pvc' && target.namespace && target.pvc)
    queries.push(...claimQueries(target.namespace, target.pvc));
  if (labels.alertname === 'CPUThrottlingHigh' && target.kind === 'pod' && target.namespace && target.pod) {
    const name = container ?? target.container;
    if (name) queries.push(...throttlingQueries(target.namespace, target.pod, name));
  }
  const overcommit = OVERCOMMIT[labels.alertname ?? ''];
  if (overcommit && target.kind === 'cluster') queries.push(...overcommitQueries(overcommit));
  return queries;
}
