// Facts about capacity the alert asked for: pod slots of a node, a container's CPU limit, the cluster's requests.
import type { MetricValues, TriageContext } from '../context.js';
import { formatBytes, formatNumber } from '../format.js';
import type { FactSheet } from './fact-sheet.js';

export const CAPACITY_FACTS = [
  'metrics.runningPods',
  'metrics.podCapacity',
  'metrics.podsRatio',
  'metrics.cpuThrottledRatio',
  'metrics.cpuUsageCores',
  'metrics.cpuLimitCores',
  'metrics.cpuRequestCores',
  'metrics.cpuLimitUsageRatio',
  'metrics.requestsOvercommitRatio',
  'metrics.requestsTotal',
  'metrics.allocatableTotal',
  'metrics.overcommitResource',
];

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

function read(m: MetricValues, key: string): number | undefined {
  const value = m[key];
  return value === null || value === undefined ? undefined : value;
}

function addPods(sheet: FactSheet, m: MetricValues, context: TriageContext, node: string): void {
  const peers = context.peers.status === 'ok' ? context.peers.value.length : undefined;
  const running = read(m, 'runningPods') ?? peers;
  const capacity = read(m, 'podCapacity');
  sheet.value(
    'metrics.runningPods',
    running,
    'metrics',
    () => `${formatNumber(running ?? 0)} pods run on ${node}`,
  );
  sheet.value(
    'metrics.podCapacity',
    capacity,
    'metrics',
    () => `${node} has room for ${formatNumber(capacity ?? 0)} pods (capacity "pods")`,
  );
  if (running !== undefined && capacity) {
    sheet.value(
      'metrics.podsRatio',
      running / capacity,
      'metrics',
      () =>
        `${formatNumber(running)} of ${formatNumber(capacity)} pod slots on ${node} in use (${pct(running / capacity)})`,
    );
  }
}

const cores = (v: number) => (v < 1 ? `${Math.round(v * 1000)}m` : `${formatNumber(v)} cores`);

function addThrottling(sheet: FactSheet, m: MetricValues, context: TriageContext): void {
  const throttled = read(m, 'cpuThrottledPeriodsRate');
  const periods = read(m, 'cpuPeriodsRate');
  const who = `${context.target.namespace}/${context.target.pod} ${context.target.container ?? ''}`.trim();
  if (throttled !== undefined && periods) {
    const ratio = throttled / periods;
    sheet.value(
      'metrics.cpuThrottledRatio',
      ratio,
      'metrics',
      () => `${pct(ratio)} of the CPU periods of ${who} were throttled over 5m`,
    );
  }
  const usage = read(m, 'cpuUsageCores');
  const limit = read(m, 'cpuLimitCores');
  const request = read(m, 'cpuRequestCores');
  sheet.value(
    'metrics.cpuUsageCores',
    usage,
    'metrics',
    () => `${who} uses ${cores(usage ?? 0)} of CPU (5m rate)`,
  );
  sheet.value('metrics.cpuLimitCores', limit, 'metrics', () => `CPU limit of ${who}: ${cores(limit ?? 0)}`);
  sheet.value(
    'metrics.cpuRequestCores',
    request,
    'metrics',
    () => `CPU request of ${who}: ${cores(request ?? 0)}`,
  );
  if (usage !== undefined && limit) {
    sheet.value(
      'metrics.cpuLimitUsageRatio',
      usage / limit,
      'metrics',
      () => `${who} uses ${cores(usage)} of its ${cores(limit)} CPU limit (${pct(usage / limit)})`,
    );
  }
}

function addOvercommit(sheet: FactSheet, m: MetricValues): void {
  for (const [prefix, show] of [
    ['cpu', cores],
    ['memory', formatBytes],
  ] as const) {
    const requests = read(m, `${prefix}RequestsTotal`);
    const total = read(m, `${prefix}AllocatableTotal`);
    const largest = read(m, `${prefix}AllocatableLargest`);
    if (requests === undefined || total === undefined) continue;
    // Strings with their unit: cores and bytes read differently, and templates quote them as they are.
    sheet.value('metrics.overcommitResource', prefix, 'metrics', () => `overcommitted resource: ${prefix}`);
    sheet.value(
      'metrics.requestsTotal',
      show(requests),
      'metrics',
      () => `${prefix} requested by all pods: ${show(requests)}`,
    );
    sheet.value(
      'metrics.allocatableTotal',
      show(total),
      'metrics',
      () => `${prefix} allocatable on all nodes: ${show(total)}`,
    );
    // kube-prometheus alerts when the requests would not fit once the largest node is gone.
    const spare = total - (largest ?? 0);
    if (spare > 0) {
      sheet.value(
        'metrics.requestsOvercommitRatio',
        requests / spare,
        'metrics',
        () =>
          `${prefix} requests ${show(requests)} against ${show(total)} allocatable, ${show(spare)} without the largest node (${show(largest ?? 0)}): ${pct(requests / spare)}`,
      );
    }
  }
}

/** Read with the other alert metric facts (alert-metric-facts.ts marks them unknown when Prometheus is). */
export function addCapacityFacts(
  sheet: FactSheet,
  m: MetricValues,
  context: TriageContext,
  node: string,
): void {
  if (context.target.kind === 'node') addPods(sheet, m, context, node);
  addThrottling(sheet, m, context);
  addOvercommit(sheet, m);
}
