// Series for real-Prometheus tests: one troubled node and pod, each beside decoys a wrong matcher would pick up.
import type { ScenarioCluster, ScenarioSeries } from '../../src/local/cluster/scenario.js';
import { NODE } from './contexts.js';

export { NODE };
export const OTHER_NODE = 'ip-10-20-7-12.eu-west-1.compute.internal';
export const NAMESPACE = 'payments';
export const POD = 'checkout-api-7d9f8c6b5-x2x7q';
export const CONTAINER = 'checkout-api';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A series: a constant, or `value` an hour ago growing by `perSecond` (a counter, a filling disk). */
export function series(
  metric: string,
  labels: Record<string, string>,
  value: number,
  perSecond?: number,
): ScenarioSeries {
  return perSecond === undefined ? { metric, labels, value } : { metric, labels, value, perSecond };
}

/** node-exporter's target labels as kube-prometheus scrapes them; the node is `instance` after relabelling. */
const exporter = (node: string, extra: Record<string, string> = {}) => ({
  container: 'kube-rbac-proxy',
  endpoint: 'https',
  instance: node,
  job: 'node-exporter',
  namespace: 'monitoring',
  pod: `node-exporter-${node.slice(3, 8)}`,
  service: 'node-exporter',
  ...extra,
});

const ksm = (extra: Record<string, string>) => ({
  job: 'kube-state-metrics',
  namespace: 'monitoring',
  ...extra,
});

/** node-exporter and kube-state-metrics series of one node; `scale` 1 is the troubled node, below 1 a calmer one. */
function nodeExporter(node: string, scale: number): ScenarioSeries[] {
  const fs = (mountpoint: string, device: string, fstype: string) =>
    exporter(node, { mountpoint, device, fstype });
  return [
    series('node_nf_conntrack_entries', exporter(node), 120_000 * scale),
    series('node_nf_conntrack_entries_limit', exporter(node), 131_072),
    series('node_nf_conntrack_stat_drop', exporter(node), 5_000, 42.5 * scale),
    series('node_nf_conntrack_stat_insert_failed', exporter(node), 80, 0.5 * scale),
    series('node_netstat_TcpExt_ListenOverflows', exporter(node), 9_000, 37.4 * scale),
    series('node_netstat_TcpExt_ListenDrops', exporter(node), 9_100, 38.1 * scale),
    series('node_load1', exporter(node), 12 * scale),
    series('kube_node_status_capacity', ksm({ node, resource: 'cpu', unit: 'core' }), 8),
    series('kube_node_status_capacity', ksm({ node, resource: 'memory', unit: 'byte' }), 32 * GiB),
    series('node_cpu_seconds_total', exporter(node, { cpu: '0', mode: 'iowait' }), 1_000, 0.2 * scale),
    series('node_cpu_seconds_total', exporter(node, { cpu: '1', mode: 'iowait' }), 1_000, 0.4 * scale),
    series('node_cpu_seconds_total', exporter(node, { cpu: '0', mode: 'idle' }), 50_000, 0.5),
    // The root filesystem fills at 1 MiB/s; /boot is nearly full and the image disk is larger, but neither is the root.
    series('node_filesystem_avail_bytes', fs('/', '/dev/nvme0n1p1', 'xfs'), 10 * GiB, -MiB * scale),
    series('node_filesystem_size_bytes', fs('/', '/dev/nvme0n1p1', 'xfs'), 50 * GiB),
    series('node_filesystem_avail_bytes', fs('/boot', '/dev/nvme0n1p2', 'vfat'), 20 * MiB),
    series('node_filesystem_size_bytes', fs('/boot', '/dev/nvme0n1p2', 'vfat'), 200 * MiB),
    series('node_filesystem_avail_bytes', fs('/var/lib/containerd', '/dev/nvme1n1', 'xfs'), 90 * GiB),
    series('node_filesystem_size_bytes', fs('/var/lib/containerd', '/dev/nvme1n1', 'xfs'), 100 * GiB),
    series('node_filesystem_avail_bytes', fs('/run', 'tmpfs', 'tmpfs'), 3 * GiB),
    series('node_filesystem_size_bytes', fs('/run', 'tmpfs', 'tmpfs'), 3 * GiB),
    series('node_memory_MemAvailable_bytes', exporter(node), 2 * GiB),
    series('node_memory_MemTotal_bytes', exporter(node), 32 * GiB),
    series('node_filefd_allocated', exporter(node), 900_000 * scale),
    series('node_filefd_maximum', exporter(node), 1_000_000),
    // Three kills in the last half hour: the counter grows by 3 every 1800 s.
    series('node_vmstat_oom_kill', exporter(node), 2, (3 / 1800) * scale),
  ];
}

/** cAdvisor and kube-state-metrics series of the pod's containers, plus the same names in another pod. */
function containers(): ScenarioSeries[] {
  const cadvisor = (pod: string, container: string, path = '/metrics/cadvisor') => ({
    container,
    endpoint: 'https-metrics',
    instance: '10.20.3.41:10250',
    job: 'kubelet',
    metrics_path: path,
    namespace: NAMESPACE,
    node: NODE,
    pod,
    service: 'kubelet',
  });
  const limits = (pod: string, container: string, resource: string, unit: string) =>
    ksm({ namespace: NAMESPACE, pod, container, node: NODE, resource, unit });
  return [
    // The working set peaked and is falling by 0.1 MiB/s: only the 30-minute window still holds the peak.
    series('container_memory_working_set_bytes', cadvisor(POD, CONTAINER), 900 * MiB, -0.1 * MiB),
    series('container_memory_working_set_bytes', cadvisor(POD, 'istio-proxy'), 60 * MiB),
    series('container_memory_working_set_bytes', cadvisor(POD, CONTAINER, '/metrics/resource'), 2 * GiB),
    series(
      'container_memory_working_set_bytes',
      cadvisor('checkout-api-7d9f8c6b5-other', CONTAINER),
      3 * GiB,
    ),
    series('kube_pod_container_resource_limits', limits(POD, CONTAINER, 'memory', 'byte'), GiB),
    series('kube_pod_container_resource_limits', limits(POD, CONTAINER, 'cpu', 'core'), 2),
    series('kube_pod_container_resource_limits', limits(POD, 'istio-proxy', 'memory', 'byte'), 256 * MiB),
  ];
}

/**
 * Series for query shapes still to come (PVC stats, network errors by device, CPU throttling), with their decoys,
 * so a new query has data to meet in a real Prometheus: the claim's volume fills at 0.5 MiB/s, eth0 counts 12
 * receive errors a second, and the container is throttled in 8 of its 10 CFS periods a second.
 */
function moreSeries(): ScenarioSeries[] {
  const kubelet = (extra: Record<string, string>) => ({
    endpoint: 'https-metrics',
    instance: '10.20.3.41:10250',
    job: 'kubelet',
    metrics_path: '/metrics',
    node: NODE,
    service: 'kubelet',
    ...extra,
  });
  const claim = (namespace: string, persistentvolumeclaim: string) =>
    kubelet({ namespace, persistentvolumeclaim });
  const cadvisor = (container: string) =>
    kubelet({ metrics_path: '/metrics/cadvisor', namespace: NAMESPACE, pod: POD, container });
  return [
    series('kubelet_volume_stats_available_bytes', claim(NAMESPACE, 'data-postgres-0'), 5 * GiB, -0.5 * MiB),
    series('kubelet_volume_stats_capacity_bytes', claim(NAMESPACE, 'data-postgres-0'), 20 * GiB),
    series('kubelet_volume_stats_available_bytes', claim(NAMESPACE, 'wal-postgres-0'), 18 * GiB),
    series('kubelet_volume_stats_capacity_bytes', claim(NAMESPACE, 'wal-postgres-0'), 20 * GiB),
    series('kubelet_volume_stats_available_bytes', claim('staging', 'data-postgres-0'), 1 * GiB),
    series('kubelet_volume_stats_capacity_bytes', claim('staging', 'data-postgres-0'), 2 * GiB),
    series('node_network_receive_errs_total', exporter(NODE, { device: 'eth0' }), 1_000, 12),
    series('node_network_receive_errs_total', exporter(NODE, { device: 'lo' }), 0),
    series('node_network_receive_errs_total', exporter(OTHER_NODE, { device: 'eth0' }), 10, 0.1),
    series('node_network_transmit_errs_total', exporter(NODE, { device: 'eth0' }), 0),
    series('container_cpu_cfs_throttled_periods_total', cadvisor(CONTAINER), 50_000, 8),
    series('container_cpu_cfs_periods_total', cadvisor(CONTAINER), 70_000, 10),
    series('container_cpu_cfs_throttled_periods_total', cadvisor('istio-proxy'), 0),
    series('container_cpu_cfs_periods_total', cadvisor('istio-proxy'), 70_000, 10),
  ];
}

/** The fixture cluster's series: the troubled node and pod, and a calmer second node with the same metrics. */
export function fixtureSeries(): ScenarioSeries[] {
  return [...nodeExporter(NODE, 1), ...nodeExporter(OTHER_NODE, 0.25), ...containers(), ...moreSeries()];
}

/** What the troubled node's and pod's queries must yield at "now", from the series above. */
export const EXPECTED = {
  conntrackEntries: 120_000,
  conntrackLimit: 131_072,
  conntrackDropRate: 42.5,
  conntrackInsertFailedRate: 0.5,
  listenOverflowRate: 37.4,
  listenDropRate: 38.1,
  load1: 12,
  cpuCores: 8,
  iowaitRatio: 0.3,
  rootFsAvailableBytes: 10 * GiB - 3600 * MiB,
  rootFsSizeBytes: 50 * GiB,
  memoryAvailableBytes: 2 * GiB,
  memoryTotalBytes: 32 * GiB,
  filefdAllocated: 900_000,
  filefdMaximum: 1_000_000,
  oomKillsRecent: 3,
  workingSetBytes: 900 * MiB - 1800 * 0.1 * MiB,
  memoryLimitBytes: GiB,
} as const;

/** How far a value may drift while a test runs: sloped gauges move with Prometheus's clock, and samples are 15 s apart. */
export const DRIFT = {
  rootFsAvailableBytes: 5 * 60 * MiB,
  workingSetBytes: 5 * 60 * 0.1 * MiB,
} as const;

/** The pod and node of the fixture as core/v1 JSON, so the service finds the node and container to query. */
export function fixtureCluster(): ScenarioCluster {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: POD, namespace: NAMESPACE, uid: '3f6d2b9e-0000-4000-8000-000000000001' },
    spec: {
      nodeName: NODE,
      containers: [{ name: CONTAINER, image: 'registry.example.com/payments/checkout-api:2.14.1' }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: CONTAINER,
          ready: true,
          restartCount: 0,
          image: 'registry.example.com/payments/checkout-api:2.14.1',
        },
      ],
    },
  };
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: NODE },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
  return { pods: [pod], nodes: [node], prometheus: { series: fixtureSeries() } };
}
