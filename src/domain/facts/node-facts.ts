// Facts about the node and its neighbourhood: conditions, taints, events, failing peers, NodePorts, logs.
import type { TriageContext } from '../context.js';
import { eventText, type FactSheet, nodeNameOf } from './fact-sheet.js';

export const NODE_FACTS = [
  'node.name',
  'node.ready',
  'node.readyMessage',
  'node.memoryPressure',
  'node.diskPressure',
  'node.pidPressure',
  'node.networkUnavailable',
  'node.unschedulable',
  'node.taints',
];

export const EVENT_FACTS = ['events.pod', 'events.node'] as const;
export const PEER_FACTS = ['peers.failing', 'peers.failingPods'] as const;
export const SERVICE_FACTS = [
  'services.nodePortsOutsideDefaultRange',
  'services.nodePortsInEphemeralRange',
  'services.nodePorts',
] as const;
export const LOG_FACTS = ['logs.previous', 'logs.node'] as const;

const CONDITIONS = [
  ['Ready', 'node.ready'],
  ['MemoryPressure', 'node.memoryPressure'],
  ['DiskPressure', 'node.diskPressure'],
  ['PIDPressure', 'node.pidPressure'],
  ['NetworkUnavailable', 'node.networkUnavailable'],
] as const;

export function addNodeFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(NODE_FACTS, context.node, 'node')) return;
  if (context.node.status !== 'ok') return;
  const node = context.node.value;
  sheet.value('node.name', node.name, 'node', () => `node ${node.name}`);
  for (const [type, fact] of CONDITIONS) {
    const condition = node.conditions.find((c) => c.type === type);
    if (!condition) continue;
    const quote = () => {
      const detail = [condition.reason, condition.message].filter(Boolean).join(': ');
      return `node ${node.name} condition ${type}=${condition.status}${detail ? ` (${detail})` : ''}`;
    };
    sheet.value(fact, condition.status, 'node', quote);
    if (type === 'Ready' && condition.message)
      sheet.value('node.readyMessage', condition.message, 'node', quote);
  }
  sheet.value(
    'node.unschedulable',
    node.unschedulable,
    'node',
    () => `node ${node.name} is ${node.unschedulable ? '' : 'not '}cordoned`,
  );
  sheet.texts(
    'node.taints',
    node.taints.map((t) => ({
      text: `taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`,
      source: 'node' as const,
    })),
    'node',
  );
}

export function addEventFacts(sheet: FactSheet, context: TriageContext): void {
  const [podEvents, nodeEvents] = EVENT_FACTS;
  for (const [name, piece, what] of [
    [podEvents, context.podEvents, 'pod events'],
    [nodeEvents, context.nodeEvents, 'node events'],
  ] as const) {
    if (sheet.unknown([name], piece, what) || piece.status !== 'ok') continue;
    sheet.texts(
      name,
      piece.value.map((e) => ({ text: eventText(e), source: 'events' as const })),
      'events',
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
  'ContainerCannotRun',
]);

export function addPeerFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(PEER_FACTS, context.peers, 'pods on the node')) return;
  if (context.peers.status !== 'ok') return;
  const self = context.target.pod;
  const failing = context.peers.value.filter(
    (p) =>
      p.name !== self &&
      p.phase !== 'Succeeded' &&
      ((p.waitingReason !== undefined && FAILING_WAIT.has(p.waitingReason)) || (p.restarts > 0 && !p.ready)),
  );
  const node = nodeNameOf(context);
  sheet.value('peers.failing', failing.length, 'peers', () => {
    if (failing.length === 0) return `no other pod on ${node} is failing`;
    const names = failing.slice(0, 8).map((p) => `${p.namespace}/${p.name}`);
    return `${failing.length} other pod(s) on ${node} failing too: ${names.join(', ')}${failing.length > 8 ? ', …' : ''}`;
  });
  sheet.texts(
    'peers.failingPods',
    failing.map((p) => ({
      text: `${p.namespace}/${p.name} ${p.waitingReason ?? p.phase}, ${p.restarts} restarts${p.lastExitCode !== undefined ? `, last exit ${p.lastExitCode}` : ''}`,
      source: 'peers' as const,
    })),
    'peers',
  );
}

const DEFAULT_NODEPORTS = { from: 30000, to: 32767 };
const LINUX_EPHEMERAL = { from: 32768, to: 60999 };

export function addServiceFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(SERVICE_FACTS, context.nodePorts, 'Services') || context.nodePorts.status !== 'ok')
    return;
  const ports = context.nodePorts.value;
  const outside = ports.filter(
    (p) => p.nodePort < DEFAULT_NODEPORTS.from || p.nodePort > DEFAULT_NODEPORTS.to,
  );
  const ephemeral = ports.filter(
    (p) => p.nodePort >= LINUX_EPHEMERAL.from && p.nodePort <= LINUX_EPHEMERAL.to,
  );
  sheet.value('services.nodePortsOutsideDefaultRange', outside.length, 'services', () => {
    if (outside.length === 0) return 'every NodePort is inside the default 30000-32767 range';
    const sample = outside
      .slice(0, 6)
      .map((p) => `${p.namespace}/${p.name} ${p.port}:${p.nodePort}`)
      .join(', ');
    return `${outside.length} NodePort(s) outside the default 30000-32767 range (a customized service-node-port-range): ${sample}${outside.length > 6 ? ', …' : ''}`;
  });
  sheet.value(
    'services.nodePortsInEphemeralRange',
    ephemeral.length,
    'services',
    () => `${ephemeral.length} NodePort(s) inside the Linux default ephemeral port range 32768-60999`,
  );
  sheet.texts(
    'services.nodePorts',
    outside.map((p) => ({
      text: `${p.namespace}/${p.name} ${p.port}→${p.nodePort}`,
      source: 'services' as const,
    })),
    'services',
  );
}

export function addNodeLogFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(['logs.node'], context.nodeLog, 'node log') || context.nodeLog.status !== 'ok') return;
  const lines = context.nodeLog.value.split('\n').filter((l) => l.trim() !== '');
  sheet.texts(
    'logs.node',
    lines.reverse().map((text) => ({ text: text.slice(0, 500), source: 'logs' as const })),
    'logs',
  );
}

export function addLogFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(['logs.previous'], context.previousLog, 'previous log')) return;
  if (context.previousLog.status !== 'ok') return;
  const lines = context.previousLog.value.split('\n').filter((l) => l.trim() !== '');
  // Newest lines first: the last words before a crash are what a reader wants quoted.
  sheet.texts(
    'logs.previous',
    lines.reverse().map((text) => ({ text: text.slice(0, 500), source: 'logs' as const })),
    'logs',
  );
}
