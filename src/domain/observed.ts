// What was seen when no signature matched: the gathered context in a few lines, so the engineer starts from the
// pod's state, its warnings and its last words instead of a bare "no match".
import type { Alert } from './alert.js';
import { PIECE_NAMES, type Piece, type TriageContext } from './context.js';
import { extractFacts, type Fact } from './facts.js';
import { clipText } from './format.js';
import { redact } from './redact.js';
import { subjectLabel } from './subject.js';

/** Value facts worth a line, in reading order, with the values that make them worth it. */
const LINES: readonly {
  readonly fact: string;
  readonly show?: (value: Fact & { kind: 'value' }) => boolean;
}[] = [
  { fact: 'pod.phase' },
  { fact: 'pod.unschedulableMessage' },
  { fact: 'container.waitingReason' },
  { fact: 'container.exitCode' },
  { fact: 'container.runSeconds' },
  { fact: 'container.restartCount', show: (f) => Number(f.value) > 0 },
  { fact: 'node.ready', show: (f) => f.value !== 'True' },
  { fact: 'node.memoryPressure', show: (f) => f.value === 'True' },
  { fact: 'node.diskPressure', show: (f) => f.value === 'True' },
  { fact: 'node.pidPressure', show: (f) => f.value === 'True' },
  { fact: 'peers.failing', show: (f) => Number(f.value) > 0 },
  { fact: 'metrics.conntrackRatio', show: (f) => Number(f.value) >= 0.5 },
  { fact: 'metrics.loadPerCore', show: (f) => Number(f.value) >= 1 },
  { fact: 'metrics.memoryAvailableRatio', show: (f) => Number(f.value) <= 0.2 },
  { fact: 'metrics.rootFsAvailableRatio', show: (f) => Number(f.value) <= 0.2 },
  { fact: 'workload.state' },
  { fact: 'workload.progressing' },
  { fact: 'workload.updatePending', show: (f) => f.value === true },
  // What the alert named (its filesystem, claim, device, clock, quota...), whatever the value: it is what fired.
  { fact: 'metrics.fsUsedRatio' },
  { fact: 'metrics.fsFilesUsedRatio' },
  { fact: 'metrics.pvcUsedRatio' },
  { fact: 'metrics.pvcInodesUsedRatio' },
  { fact: 'metrics.netErrorRatio' },
  { fact: 'metrics.clockSynchronised' },
  { fact: 'metrics.podsRatio' },
  { fact: 'metrics.cpuThrottledRatio' },
  { fact: 'metrics.requestsOvercommitRatio' },
  { fact: 'quota.usedRatio' },
  { fact: 'pvc.phase', show: (f) => f.value !== 'Bound' },
  { fact: 'pv.phase', show: (f) => f.value !== 'Bound' },
  { fact: 'cluster.provider' },
];

/** The newest few of a text list (events, log lines), warnings first for events. */
const TEXTS: readonly { readonly fact: string; readonly take: number; readonly prefix: string }[] = [
  { fact: 'events.pod', take: 3, prefix: 'event' },
  { fact: 'events.node', take: 2, prefix: 'node event' },
  { fact: 'logs.previous', take: 3, prefix: 'previous log' },
  { fact: 'workload.failingPods', take: 3, prefix: 'failing' },
];

const LINE_MAX = 300;

/** Labels that say where a metric was scraped or which rule fired, not what is wrong. */
const PLUMBING_LABELS = new Set([
  'alertname',
  'severity',
  'prometheus',
  'job',
  'instance',
  'endpoint',
  'service',
  'metrics_path',
  'uid',
  'container',
  'namespace',
  'pod',
  'node',
]);

/** What fired, about what, with the labels that describe the problem (mountpoint, device, reason, resource…). */
function firedLine(alert: Alert, context: TriageContext): string {
  const details = Object.entries(alert.labels)
    .filter(([name]) => !PLUMBING_LABELS.has(name))
    .map(([name, value]) => `${name}=${value}`);
  const about = context.target.invalid ?? `about ${subjectLabel(context.target)}`;
  const summary = alert.annotations.summary ? `: ${alert.annotations.summary}` : '';
  return `fired: ${alert.labels.alertname} (${alert.labels.severity ?? 'no severity'}) ${about}${
    details.length > 0 ? ` [${details.join(', ')}]` : ''
  }${summary}`;
}

/** Which pieces of context were read, so "nothing matched" is never mistaken for "nothing was looked at". */
function checkedLine(context: TriageContext): string {
  const read = Object.entries(PIECE_NAMES)
    .filter(([key]) => (context[key as keyof TriageContext] as Piece<unknown> | undefined)?.status === 'ok')
    .map(([, label]) => label);
  return read.length > 0
    ? `checked: ${read.join(', ')}`
    : 'checked: nothing could be read for this subject (see "Context not available")';
}

export function observedContext(alert: Alert, context: TriageContext, max = 14): string[] {
  const facts = extractFacts(alert, context);
  const lines: string[] = [firedLine(alert, context), checkedLine(context)];
  for (const { fact, show } of LINES) {
    const f = facts.get(fact);
    if (f?.kind !== 'value' || (show && !show(f))) continue;
    const line = f.quote();
    if (!lines.includes(line)) lines.push(line);
  }
  for (const { fact, take, prefix } of TEXTS) {
    const f = facts.get(fact);
    if (f?.kind !== 'texts') continue;
    const items = fact.startsWith('events.')
      ? [
          ...f.items.filter((i) => i.text.startsWith('Warning')),
          ...f.items.filter((i) => !i.text.startsWith('Warning')),
        ]
      : f.items;
    for (const item of items.slice(0, take)) lines.push(`${prefix}: ${item.text}`);
  }
  return lines.slice(0, max).map((line) => clipText(redact(line), LINE_MAX));
}
