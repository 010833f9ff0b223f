// Size bounds on what an alert carries, so that every accepted alert fits a queue message (256 KiB), an incident
// item (400 KB) and a Slack message, instead of being accepted and then dead-lettered for its size.
import { createHash } from 'node:crypto';
import type { Alert, Webhook } from './alert.js';

/** Bytes of a value as it is written into JSON (escapes included): what the queue and the store count. */
export function jsonBytes(value: string): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8') - 2;
}

export const BOUNDS = {
  /** A label value: identity, short in practice (Kubernetes names are at most 253 characters). */
  labelValue: 4 * 1024,
  /** An annotation value: free text, a description can quote a log line. */
  annotationValue: 16 * 1024,
  /** A label or annotation name. */
  name: 256,
  /** All labels and annotations of one alert together. */
  alertTotal: 128 * 1024,
  groupKey: 1024,
  url: 4 * 1024,
  receiver: 1024,
} as const;

/** Names kept whatever the total, because triage and the history filters read them. */
const ESSENTIAL = new Set([
  'alertname',
  'namespace',
  'pod',
  'container',
  'node',
  'instance',
  'job',
  'severity',
]);

/**
 * `value` whole when it fits in `max` JSON bytes; otherwise its head and a marker naming the original size and a
 * hash of the whole, so two long values that share a head stay distinct (a cut group key is still an identity).
 */
export function boundText(value: string, max: number): string {
  if (jsonBytes(value) <= max) return value;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 16);
  const marker = ` … [cut from ${Buffer.byteLength(value, 'utf8')} bytes, sha256 ${hash}]`;
  const room = max - jsonBytes(marker);
  // Binary search for the longest head (in whole code points) that fits. No head longer than `room` code units
  // can fit, so only that much is split (a 900 KiB value is not); a pair cut by the slice is dropped.
  const points = Array.from(value.slice(0, Math.max(room, 0) + 1));
  if (/^[\ud800-\udbff]$/.test(points.at(-1) ?? '')) points.pop();
  let lo = 0;
  let hi = Math.min(points.length, Math.max(room, 0));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (jsonBytes(points.slice(0, mid).join('')) <= room) lo = mid;
    else hi = mid - 1;
  }
  return points.slice(0, lo).join('') + marker;
}

function setBytes(set: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const [k, v] of Object.entries(set)) n += jsonBytes(k) + jsonBytes(v) + 6;
  return n;
}

function boundSet(
  set: Readonly<Record<string, string>>,
  where: string,
  valueMax: number,
  cuts: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(set)) {
    const boundedName = boundText(name, BOUNDS.name);
    const bounded = boundText(value, valueMax);
    if (boundedName !== name || bounded !== value) cuts.push(`${where}.${boundedName}`);
    out[boundedName] = bounded;
  }
  return out;
}

/** Drops non-essential entries, largest first, until the set fits in `budget` bytes. */
function dropToFit(
  set: Record<string, string>,
  budget: number,
  where: string,
  cuts: string[],
): Record<string, string> {
  let size = setBytes(set);
  if (size <= budget) return set;
  const out = { ...set };
  const droppable = Object.entries(out)
    .filter(([name]) => !ESSENTIAL.has(name))
    .sort((a, b) => jsonBytes(b[1]) - jsonBytes(a[1]));
  for (const [name, value] of droppable) {
    if (size <= budget) break;
    delete out[name];
    size -= jsonBytes(name) + jsonBytes(value) + 6;
    cuts.push(`${where}.${name} (dropped)`);
  }
  return out;
}

/** The alert within BOUNDS, and what was cut (empty when it already fitted). */
export function boundAlert(alert: Alert): { alert: Alert; cuts: string[] } {
  const cuts: string[] = [];
  let labels = boundSet(alert.labels, 'labels', BOUNDS.labelValue, cuts);
  let annotations = boundSet(alert.annotations, 'annotations', BOUNDS.annotationValue, cuts);
  // Annotations give way first: labels are the alert's identity and what triage reads.
  annotations = dropToFit(
    annotations,
    Math.max(BOUNDS.alertTotal - setBytes(labels), 0),
    'annotations',
    cuts,
  );
  labels = dropToFit(labels, BOUNDS.alertTotal - setBytes(annotations), 'labels', cuts);
  const generatorURL = boundText(alert.generatorURL, BOUNDS.url);
  if (generatorURL !== alert.generatorURL) cuts.push('generatorURL');
  if (cuts.length === 0) return { alert, cuts };
  return { alert: { ...alert, labels, annotations, generatorURL }, cuts };
}

export interface BoundedWebhook {
  readonly webhook: Webhook;
  /** `alerts[i].labels.x`-style paths of what was shortened or dropped. */
  readonly cuts: readonly string[];
}

/** The webhook with every alert and group field within BOUNDS. */
export function boundWebhook(webhook: Webhook): BoundedWebhook {
  const cuts: string[] = [];
  const field = (name: string, value: string, max: number) => {
    const bounded = boundText(value, max);
    if (bounded !== value) cuts.push(name);
    return bounded;
  };
  const alerts = webhook.alerts.map((alert, i) => {
    const bounded = boundAlert(alert);
    for (const cut of bounded.cuts) cuts.push(`alerts[${i}].${cut}`);
    return bounded.alert;
  });
  const groupKey = field('groupKey', webhook.groupKey, BOUNDS.groupKey);
  const externalURL = field('externalURL', webhook.externalURL, BOUNDS.url);
  const receiver = field('receiver', webhook.receiver, BOUNDS.receiver);
  if (cuts.length === 0) return { webhook, cuts };
  return { webhook: { ...webhook, groupKey, externalURL, receiver, alerts }, cuts };
}
