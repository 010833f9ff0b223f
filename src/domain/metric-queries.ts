// The Prometheus instant queries triage runs for a target, by key; facts.ts turns the answers into evidence.
import type { Target } from './context.js';

export interface MetricQuery {
  readonly key: string;
  readonly promql: string;
}

/**
 * Label values go inside double quotes in PromQL; escape what would end the string, and every control or
 * line-separator character (a newline in a label must not split the query), as PromQL's Go-style \u escapes.
 */
export function q(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes.
      /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

/** `instance` is node-exporter's scrape target: the node name in kube-prometheus, `<ip>:9100` in kube-prometheus-stack. */
export function nodeQueries(node: string, instance: string = node): MetricQuery[] {
  const sel = `instance="${q(instance)}"`;
  const rootFs = `${sel}, mountpoint="/", fstype!=""`;
  return [
    { key: 'conntrackEntries', promql: `max(node_nf_conntrack_entries{${sel}})` },
    { key: 'conntrackLimit', promql: `max(node_nf_conntrack_entries_limit{${sel}})` },
    { key: 'conntrackDropRate', promql: `sum(rate(node_nf_conntrack_stat_drop{${sel}}[5m]))` },
    {
      key: 'conntrackInsertFailedRate',
      promql: `sum(rate(node_nf_conntrack_stat_insert_failed{${sel}}[5m]))`,
    },
    { key: 'listenOverflowRate', promql: `sum(rate(node_netstat_TcpExt_ListenOverflows{${sel}}[5m]))` },
    { key: 'listenDropRate', promql: `sum(rate(node_netstat_TcpExt_ListenDrops{${sel}}[5m]))` },
    { key: 'load1', promql: `max(node_load1{${sel}})` },
    { key: 'cpuCores', promql: `max(kube_node_status_capacity{node="${q(node)}", resource="cpu"})` },
    { key: 'iowaitRatio', promql: `avg(rate(node_cpu_seconds_total{${sel}, mode="iowait"}[5m]))` },
    { key: 'rootFsAvailableBytes', promql: `max(node_filesystem_avail_bytes{${rootFs}})` },
    { key: 'rootFsSizeBytes', promql: `max(node_filesystem_size_bytes{${rootFs}})` },
    { key: 'memoryAvailableBytes', promql: `max(node_memory_MemAvailable_bytes{${sel}})` },
    { key: 'memoryTotalBytes', promql: `max(node_memory_MemTotal_bytes{${sel}})` },
    { key: 'filefdAllocated', promql: `max(node_filefd_allocated{${sel}})` },
    { key: 'filefdMaximum', promql: `max(node_filefd_maximum{${sel}})` },
    { key: 'oomKillsRecent', promql: `sum(increase(node_vmstat_oom_kill{${sel}}[30m]))` },
  ];
}

export function containerQueries(namespace: string, pod: string, container: string): MetricQuery[] {
  const sel = `namespace="${q(namespace)}", pod="${q(pod)}", container="${q(container)}"`;
  return [
    {
      key: 'workingSetBytes',
      promql: `max(max_over_time(container_memory_working_set_bytes{${sel}, metrics_path="/metrics/cadvisor"}[30m]))`,
    },
    {
      key: 'memoryLimitBytes',
      promql: `max(kube_pod_container_resource_limits{${sel}, resource="memory"})`,
    },
  ];
}

/** Queries for a target once its node and container are known. */
export function metricQueries(
  target: Target,
  node: string | undefined,
  container: string | undefined,
  nodeInstance?: string,
): MetricQuery[] {
  const queries: MetricQuery[] = [];
  if (node) queries.push(...nodeQueries(node, nodeInstance));
  if (target.kind === 'pod' && target.namespace && target.pod && container) {
    queries.push(...containerQueries(target.namespace, target.pod, container));
  }
  return queries;
}
