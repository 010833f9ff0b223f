// What was seen when no signature matched: the gathered context in a few lines, so the engineer starts from the
// pod's state, its warnings and its last words instead of a bare "no match".
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { extractFacts, type Fact } from './facts.js';
import { clipText } from './format.js';
import { redact } from './redact.js';

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
];

const LINE_MAX = 300;

export function observedContext(alert: Alert, context: TriageContext, max = 12): string[] {
  const facts = extractFacts(alert, context);
  const lines: string[] = [];
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
