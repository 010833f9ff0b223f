// The Kubernetes stand-in's PromQL agrees with a real Prometheus on every query the service sends, and more shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerQueries, nodeQueries } from '../../src/domain/metric-queries.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { CONTAINER, fixtureCluster, NAMESPACE, NODE, POD } from '../support/metric-series.js';
import { type RunningPrometheus, realPrometheusSkip, startPrometheus } from '../support/prometheus.js';

const skip = realPrometheusSkip();
const PROXY = '/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/api/v1/query';

/** Shapes beyond today's queries that the stand-in evaluates too; a new query shape belongs here first. */
const MORE_SHAPES = [
  `predict_linear(node_filesystem_avail_bytes{instance="${NODE}", mountpoint="/"}[30m], 4 * 3600)`,
  `predict_linear(node_filesystem_avail_bytes{mountpoint="/"}[1h], 3600)`,
  'sum by (instance) (rate(node_nf_conntrack_stat_drop[5m]))',
  'max by (instance, mountpoint) (node_filesystem_avail_bytes{fstype!="tmpfs"})',
  'sum without (cpu) (rate(node_cpu_seconds_total[5m]))',
  'count(node_load1)',
  `min_over_time(container_memory_working_set_bytes{pod="${POD}"}[30m])`,
  `avg_over_time(container_memory_working_set_bytes{pod="${POD}", container="${CONTAINER}"}[10m])`,
  `deriv(node_filesystem_avail_bytes{instance="${NODE}", mountpoint="/"}[15m])`,
  `increase(node_vmstat_oom_kill[1h])`,
  `node_filesystem_size_bytes{mountpoint=~"/(boot)?", device!~"tmpfs"}`,
  `sum(rate(node_netstat_TcpExt_ListenDrops{instance="${NODE}"}[5m])) / sum(rate(node_netstat_TcpExt_ListenOverflows{instance="${NODE}"}[5m]))`,
  'node_filesystem_avail_bytes / node_filesystem_size_bytes',
  `max(node_memory_MemAvailable_bytes{instance="${NODE}"}) / 1024`,
  `1 - max(node_memory_MemAvailable_bytes{instance="${NODE}"}) / max(node_memory_MemTotal_bytes{instance="${NODE}"})`,
  `sum(rate(node_nf_conntrack_stat_drop[5m])) / sum(rate(node_nf_conntrack_stat_insert_failed[5m])) * 100`,
  '100 * (1 - node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"})',
  '(node_filesystem_size_bytes - node_filesystem_avail_bytes) / node_filesystem_size_bytes',
  // Shapes the coming queries are likely to take (PVC, network device, throttling, time to full).
  `max by (persistentvolumeclaim) (kubelet_volume_stats_available_bytes{namespace="${NAMESPACE}"})`,
  `max(kubelet_volume_stats_available_bytes{namespace="${NAMESPACE}", persistentvolumeclaim="data-postgres-0"}) / max(kubelet_volume_stats_capacity_bytes{namespace="${NAMESPACE}", persistentvolumeclaim="data-postgres-0"})`,
  `predict_linear(kubelet_volume_stats_available_bytes{namespace="${NAMESPACE}", persistentvolumeclaim="data-postgres-0"}[1h], 24 * 3600)`,
  `sum by (device) (rate(node_network_receive_errs_total{instance="${NODE}", device!~"lo|veth.*"}[5m]))`,
  `sum(rate(container_cpu_cfs_throttled_periods_total{namespace="${NAMESPACE}", pod="${POD}", container="${CONTAINER}"}[5m])) / sum(rate(container_cpu_cfs_periods_total{namespace="${NAMESPACE}", pod="${POD}", container="${CONTAINER}"}[5m]))`,
  `max by (mountpoint, device) (node_filesystem_avail_bytes{instance="${NODE}", fstype!~"tmpfs|overlay"})`,
];

type Vector = { metric: Record<string, string>; value: number }[];

/** Samples by label set, so two answers compare regardless of order. */
const byLabels = (v: Vector) =>
  new Map(v.map((s) => [JSON.stringify(Object.entries(s.metric).sort()), s.value] as const));

describe.skipIf(skip)(`the stand-in's PromQL against a real Prometheus${skip ? ` (${skip})` : ''}`, () => {
  let prometheus: RunningPrometheus;
  let k8s: KubernetesStandIn;

  beforeAll(async () => {
    const cluster = fixtureCluster();
    prometheus = await startPrometheus(cluster.prometheus?.series ?? []);
    k8s = await startKubernetesStandIn({ cluster });
  });
  afterAll(async () => {
    await k8s?.close();
    await prometheus?.stop();
  });

  async function standIn(promql: string): Promise<Vector> {
    const res = await fetch(`${k8s.url}${PROXY}?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  const queries = [
    ...nodeQueries(NODE).map((q) => q.promql),
    ...containerQueries(NAMESPACE, POD, CONTAINER).map((q) => q.promql),
    ...MORE_SHAPES,
  ];

  it.each(queries)('%s', async (promql) => {
    // At the rendered "now" exactly, where the stand-in evaluates: sloped series then agree to the sample.
    const real = byLabels(await prometheus.query(promql, prometheus.now));
    const stand = byLabels(await standIn(promql));
    expect(real.size).toBeGreaterThan(0);
    expect([...stand.keys()].sort()).toEqual([...real.keys()].sort());
    for (const [labels, value] of real) {
      const other = stand.get(labels) ?? Number.NaN;
      expect(
        Math.abs(other - value),
        `${labels}: stand-in ${other}, Prometheus ${value}`,
      ).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(value)));
    }
  });
});
