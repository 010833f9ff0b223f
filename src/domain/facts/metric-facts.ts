// Facts from Prometheus: conntrack, listen queues, load, iowait, filesystem, memory, file handles, OOM kills.
import type { MetricValues, TriageContext } from '../context.js';
import { formatBytes, formatNumber } from '../format.js';
import { type FactSheet, focusContainer, nodeNameOf } from './fact-sheet.js';

export const METRIC_FACTS = [
  'metrics.conntrackEntries',
  'metrics.conntrackLimit',
  'metrics.conntrackRatio',
  'metrics.conntrackDropRate',
  'metrics.conntrackInsertFailedRate',
  'metrics.listenOverflowRate',
  'metrics.listenDropRate',
  'metrics.loadPerCore',
  'metrics.iowaitRatio',
  'metrics.rootFsAvailableRatio',
  'metrics.memoryAvailableRatio',
  'metrics.filefdRatio',
  'metrics.oomKillsRecent',
  'metrics.workingSetBytes',
  'metrics.memoryUsageRatio',
];

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

function read(m: MetricValues, key: string): number | undefined {
  const value = m[key];
  return value === null || value === undefined ? undefined : value;
}

function ratio(m: MetricValues, part: string, whole: string): [number, number, number] | undefined {
  const a = read(m, part);
  const b = read(m, whole);
  return a !== undefined && b !== undefined && b > 0 ? [a / b, a, b] : undefined;
}

function addConntrack(sheet: FactSheet, m: MetricValues, node: string): void {
  const entries = read(m, 'conntrackEntries');
  const limit = read(m, 'conntrackLimit');
  sheet.value(
    'metrics.conntrackEntries',
    entries,
    'metrics',
    () => `node_nf_conntrack_entries on ${node} = ${formatNumber(entries ?? 0)}`,
  );
  sheet.value(
    'metrics.conntrackLimit',
    limit,
    'metrics',
    () => `node_nf_conntrack_entries_limit on ${node} = ${formatNumber(limit ?? 0)}`,
  );
  const r = ratio(m, 'conntrackEntries', 'conntrackLimit');
  if (r) {
    sheet.value(
      'metrics.conntrackRatio',
      r[0],
      'metrics',
      () =>
        `conntrack table on ${node} at ${pct(r[0])} (${formatNumber(r[1])} of ${formatNumber(r[2])} entries)`,
    );
  }
  for (const [key, fact, what] of [
    ['conntrackDropRate', 'metrics.conntrackDropRate', 'conntrack drops (node_nf_conntrack_stat_drop)'],
    [
      'conntrackInsertFailedRate',
      'metrics.conntrackInsertFailedRate',
      'conntrack insert failures (node_nf_conntrack_stat_insert_failed)',
    ],
    ['listenOverflowRate', 'metrics.listenOverflowRate', 'listen queue overflows (TcpExt ListenOverflows)'],
    ['listenDropRate', 'metrics.listenDropRate', 'dropped SYNs on listen sockets (TcpExt ListenDrops)'],
  ] as const) {
    const value = read(m, key);
    sheet.value(fact, value, 'metrics', () => `${what} on ${node}: ${formatNumber(value ?? 0)}/s over 5m`);
  }
}

function addNodeResources(sheet: FactSheet, m: MetricValues, node: string): void {
  const load = ratio(m, 'load1', 'cpuCores');
  if (load) {
    sheet.value(
      'metrics.loadPerCore',
      load[0],
      'metrics',
      () =>
        `load on ${node}: ${formatNumber(load[1])} over ${formatNumber(load[2])} CPUs = ${formatNumber(load[0])} per core`,
    );
  }
  const iowait = read(m, 'iowaitRatio');
  sheet.value(
    'metrics.iowaitRatio',
    iowait,
    'metrics',
    () => `CPU time in iowait on ${node}: ${pct(iowait ?? 0)} over 5m`,
  );
  const fs = ratio(m, 'rootFsAvailableBytes', 'rootFsSizeBytes');
  if (fs) {
    sheet.value(
      'metrics.rootFsAvailableRatio',
      fs[0],
      'metrics',
      () => `root filesystem on ${node}: ${formatBytes(fs[1])} free of ${formatBytes(fs[2])} (${pct(fs[0])})`,
    );
  }
  const mem = ratio(m, 'memoryAvailableBytes', 'memoryTotalBytes');
  if (mem) {
    sheet.value(
      'metrics.memoryAvailableRatio',
      mem[0],
      'metrics',
      () => `memory available on ${node}: ${formatBytes(mem[1])} of ${formatBytes(mem[2])} (${pct(mem[0])})`,
    );
  }
  const fd = ratio(m, 'filefdAllocated', 'filefdMaximum');
  if (fd) {
    sheet.value(
      'metrics.filefdRatio',
      fd[0],
      'metrics',
      () => `file handles on ${node}: ${formatNumber(fd[1])} of ${formatNumber(fd[2])} (${pct(fd[0])})`,
    );
  }
  const kills = read(m, 'oomKillsRecent');
  sheet.value(
    'metrics.oomKillsRecent',
    kills,
    'metrics',
    () => `OOM-killer kills on ${node} in the last 30m: ${formatNumber(kills ?? 0)}`,
  );
}

function addContainerMemory(sheet: FactSheet, m: MetricValues, context: TriageContext): void {
  const workingSet = read(m, 'workingSetBytes');
  if (workingSet === undefined) return;
  sheet.value(
    'metrics.workingSetBytes',
    workingSet,
    'metrics',
    () => `peak working set (30m) ${formatBytes(workingSet)}`,
  );
  const limit = read(m, 'memoryLimitBytes') ?? focusContainer(context)?.memoryLimitBytes;
  if (limit) {
    sheet.value(
      'metrics.memoryUsageRatio',
      workingSet / limit,
      'metrics',
      () =>
        `peak working set ${formatBytes(workingSet)} of the ${formatBytes(limit)} limit (${pct(workingSet / limit)})`,
    );
  }
}

export function addMetricFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(METRIC_FACTS, context.metrics, 'Prometheus')) return;
  if (context.metrics.status !== 'ok') return;
  const node = nodeNameOf(context);
  addConntrack(sheet, context.metrics.value, node);
  addNodeResources(sheet, context.metrics.value, node);
  addContainerMemory(sheet, context.metrics.value, context);
}
