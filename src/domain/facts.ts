// Flattens an alert and its gathered context into named facts that signature conditions test and quote.
import type { Alert } from './alert.js';
import type { ContainerSnapshot, EventSnapshot, Piece, TriageContext } from './context.js';
import { formatBytes, formatNumber } from './format.js';
import type { EvidenceSource } from './signature.js';

export interface TextItem {
  readonly text: string;
  readonly source: EvidenceSource;
}

export type Fact =
  | {
      readonly kind: 'value';
      readonly value: string | number | boolean;
      readonly source: EvidenceSource;
      readonly quote: string;
    }
  | { readonly kind: 'texts'; readonly items: readonly TextItem[]; readonly source: EvidenceSource }
  | { readonly kind: 'unknown'; readonly reason: string };

export type Facts = ReadonlyMap<string, Fact>;

/** The failing container: the alert's, else the one in trouble, else the only one. */
export function focusContainer(context: TriageContext): ContainerSnapshot | undefined {
  if (context.pod.status !== 'ok') return undefined;
  const all = [...context.pod.value.containers, ...context.pod.value.initContainers];
  const named = context.target.container ? all.find((c) => c.name === context.target.container) : undefined;
  return (
    named ??
    all.find((c) => c.waiting || c.lastTerminated || (c.terminated && c.terminated.exitCode !== 0)) ??
    all.find((c) => !c.ready) ??
    context.pod.value.containers[0]
  );
}

function eventText(e: EventSnapshot): string {
  const times = e.count > 1 ? ` (x${e.count})` : '';
  return `${e.type} ${e.reason}${times}: ${e.message}`;
}

class FactSheet {
  readonly facts = new Map<string, Fact>();

  value(
    name: string,
    value: string | number | boolean | undefined,
    source: EvidenceSource,
    quote: string,
  ): void {
    if (value !== undefined) this.facts.set(name, { kind: 'value', value, source, quote });
  }

  texts(name: string, items: readonly TextItem[], source: EvidenceSource): void {
    this.facts.set(name, { kind: 'texts', items, source });
  }

  unknown(names: readonly string[], piece: Piece<unknown>, what: string): boolean {
    if (piece.status !== 'unavailable') return false;
    for (const name of names)
      this.facts.set(name, { kind: 'unknown', reason: `${what} unavailable: ${piece.reason}` });
    return true;
  }
}

const CONTAINER_FACTS = [
  'container.name',
  'container.exitCode',
  'container.terminationReason',
  'container.restartCount',
  'container.waitingReason',
  'container.memoryLimitBytes',
  'container.memoryLimit',
  'pod.phase',
];

function addPodFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(CONTAINER_FACTS, context.pod, 'pod status')) return;
  if (context.pod.status !== 'ok') return;
  const pod = context.pod.value;
  sheet.value('pod.phase', pod.phase, 'pod.status', `pod phase ${pod.phase}`);
  const c = focusContainer(context);
  if (!c) return;
  sheet.value('container.name', c.name, 'pod.status', `container ${c.name}`);
  const last = c.lastTerminated ?? c.terminated;
  if (last) {
    const quote = `container ${c.name} last terminated with exit code ${last.exitCode}${last.reason ? ` (reason ${last.reason})` : ''}${last.finishedAt ? ` at ${last.finishedAt}` : ''}`;
    sheet.value('container.exitCode', last.exitCode, 'pod.status', quote);
    sheet.value('container.terminationReason', last.reason ?? '', 'pod.status', quote);
  }
  sheet.value(
    'container.restartCount',
    c.restartCount,
    'pod.status',
    `container ${c.name} restarted ${c.restartCount} times`,
  );
  if (c.waiting) {
    sheet.value(
      'container.waitingReason',
      c.waiting.reason,
      'pod.status',
      `container ${c.name} waiting: ${c.waiting.reason}${c.waiting.message ? ` (${c.waiting.message})` : ''}`,
    );
  }
  if (c.memoryLimitBytes !== undefined) {
    const quote = `container ${c.name} memory limit ${c.memoryLimit ?? formatBytes(c.memoryLimitBytes)}`;
    sheet.value('container.memoryLimitBytes', c.memoryLimitBytes, 'pod.status', quote);
    sheet.value(
      'container.memoryLimit',
      c.memoryLimit ?? formatBytes(c.memoryLimitBytes),
      'pod.status',
      quote,
    );
  }
}

function addEventFacts(sheet: FactSheet, context: TriageContext): void {
  for (const [name, piece] of [
    ['events.pod', context.podEvents],
    ['events.node', context.nodeEvents],
  ] as const) {
    if (sheet.unknown([name], piece, name === 'events.pod' ? 'pod events' : 'node events')) continue;
    if (piece.status === 'ok') {
      sheet.texts(
        name,
        piece.value.map((e) => ({ text: eventText(e), source: 'events' as const })),
        'events',
      );
    }
  }
}

function addNodeFacts(sheet: FactSheet, context: TriageContext): void {
  const names = ['node.ready', 'node.memoryPressure', 'node.diskPressure', 'node.pidPressure', 'node.name'];
  if (sheet.unknown(names, context.node, 'node')) return;
  if (context.node.status !== 'ok') return;
  const node = context.node.value;
  sheet.value('node.name', node.name, 'node', `node ${node.name}`);
  for (const [type, fact] of [
    ['Ready', 'node.ready'],
    ['MemoryPressure', 'node.memoryPressure'],
    ['DiskPressure', 'node.diskPressure'],
    ['PIDPressure', 'node.pidPressure'],
  ] as const) {
    const condition = node.conditions.find((c) => c.type === type);
    if (!condition) continue;
    const detail = [condition.reason, condition.message].filter(Boolean).join(': ');
    sheet.value(
      fact,
      condition.status,
      'node',
      `node ${node.name} condition ${type}=${condition.status}${detail ? ` (${detail})` : ''}`,
    );
  }
}

const FAILING_WAIT = new Set([
  'CrashLoopBackOff',
  'Error',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerError',
  'RunContainerError',
]);

function addPeerFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(['peers.failing', 'peers.failingPods'], context.peers, 'pods on the node')) return;
  if (context.peers.status !== 'ok') return;
  const self = context.target.pod;
  const failing = context.peers.value.filter(
    (p) =>
      p.name !== self &&
      p.phase !== 'Succeeded' &&
      ((p.waitingReason !== undefined && FAILING_WAIT.has(p.waitingReason)) || (p.restarts > 0 && !p.ready)),
  );
  const node = context.node.status === 'ok' ? context.node.value.name : (context.target.node ?? 'the node');
  const names = failing.map((p) => `${p.namespace}/${p.name}`);
  sheet.value(
    'peers.failing',
    failing.length,
    'peers',
    failing.length === 0
      ? `no other pod on ${node} is failing`
      : `${failing.length} other pod(s) on ${node} failing too: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`,
  );
  sheet.texts(
    'peers.failingPods',
    failing.map((p) => ({
      text: `${p.namespace}/${p.name} ${p.waitingReason ?? p.phase}, ${p.restarts} restarts${p.lastExitCode !== undefined ? `, last exit ${p.lastExitCode}` : ''}`,
      source: 'peers' as const,
    })),
    'peers',
  );
}

function addLogFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(['logs.previous'], context.previousLog, 'previous log')) return;
  if (context.previousLog.status !== 'ok') return;
  const lines = context.previousLog.value.split('\n').filter((l) => l.trim() !== '');
  // Newest lines first: the last words before a crash are what a reader wants quoted.
  sheet.texts(
    'logs.previous',
    lines.reverse().map((text) => ({ text, source: 'logs' as const })),
    'logs',
  );
}

const METRIC_FACTS = [
  'metrics.conntrackEntries',
  'metrics.conntrackLimit',
  'metrics.conntrackRatio',
  'metrics.conntrackDropRate',
  'metrics.listenOverflowRate',
  'metrics.workingSetBytes',
  'metrics.memoryUsageRatio',
];

function addMetricFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(METRIC_FACTS, context.metrics, 'Prometheus')) return;
  if (context.metrics.status !== 'ok') return;
  const m = context.metrics.value;
  const node = context.node.status === 'ok' ? context.node.value.name : (context.target.node ?? 'the node');
  const entries = m.conntrackEntries ?? undefined;
  const limit = m.conntrackLimit ?? undefined;
  if (entries !== undefined) {
    sheet.value(
      'metrics.conntrackEntries',
      entries,
      'metrics',
      `node_nf_conntrack_entries on ${node} = ${formatNumber(entries)}`,
    );
  }
  if (limit !== undefined) {
    sheet.value(
      'metrics.conntrackLimit',
      limit,
      'metrics',
      `node_nf_conntrack_entries_limit on ${node} = ${formatNumber(limit)}`,
    );
  }
  if (entries !== undefined && limit !== undefined && limit > 0) {
    const ratio = entries / limit;
    sheet.value(
      'metrics.conntrackRatio',
      ratio,
      'metrics',
      `conntrack table on ${node} at ${(ratio * 100).toFixed(1)}% (${formatNumber(entries)} of ${formatNumber(limit)} entries)`,
    );
  }
  if (m.conntrackDropRate != null) {
    sheet.value(
      'metrics.conntrackDropRate',
      m.conntrackDropRate,
      'metrics',
      `conntrack drops on ${node}: ${formatNumber(m.conntrackDropRate)} packets/s (node_nf_conntrack_stat_drop, 5m rate)`,
    );
  }
  if (m.listenOverflowRate != null) {
    sheet.value(
      'metrics.listenOverflowRate',
      m.listenOverflowRate,
      'metrics',
      `listen queue overflows on ${node}: ${formatNumber(m.listenOverflowRate)}/s (TcpExt ListenOverflows, 5m rate)`,
    );
  }
  const workingSet = m.workingSetBytes ?? undefined;
  if (workingSet !== undefined) {
    sheet.value(
      'metrics.workingSetBytes',
      workingSet,
      'metrics',
      `peak working set (30m) ${formatBytes(workingSet)}`,
    );
    const limit = m.memoryLimitBytes ?? focusContainer(context)?.memoryLimitBytes;
    if (limit) {
      sheet.value(
        'metrics.memoryUsageRatio',
        workingSet / limit,
        'metrics',
        `peak working set ${formatBytes(workingSet)} of the ${formatBytes(limit)} limit (${((workingSet / limit) * 100).toFixed(1)}%)`,
      );
    }
  }
}

export function extractFacts(alert: Alert, context: TriageContext): Facts {
  const sheet = new FactSheet();
  sheet.value('alert.name', alert.labels.alertname ?? '', 'alert', `alert ${alert.labels.alertname}`);
  sheet.value(
    'alert.severity',
    alert.labels.severity ?? '',
    'alert',
    `severity ${alert.labels.severity ?? 'none'}`,
  );
  addPodFacts(sheet, context);
  addEventFacts(sheet, context);
  addNodeFacts(sheet, context);
  addPeerFacts(sheet, context);
  addLogFacts(sheet, context);
  addMetricFacts(sheet, context);
  return sheet.facts;
}
