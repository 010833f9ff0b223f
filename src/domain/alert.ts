// The Alertmanager webhook (version 4) as a schema, and where an alert points in the cluster.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { redact } from './redact.js';

const LabelSet = z.record(z.string(), z.string());

/**
 * Annotations are free text templated by rule authors, sometimes from a URL or a DSN: credentials in them are
 * masked here, before the alert is queued, stored or posted. Labels are identity and are kept as sent.
 */
const Annotations = LabelSet.transform((set) =>
  Object.fromEntries(Object.entries(set).map(([name, value]) => [name, redact(value)])),
);

/** Alertmanager writes RFC 3339 with optional fractional seconds; firing alerts carry endsAt 0001-01-01T00:00:00Z. */
const Timestamp = z
  .string()
  .max(64)
  .pipe(z.iso.datetime({ offset: true, local: false }));

export const AlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: LabelSet.refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, {
    message: 'labels.alertname is required',
  }),
  annotations: Annotations.default({}),
  startsAt: Timestamp,
  endsAt: Timestamp,
  generatorURL: z.string().max(8192).default(''),
  fingerprint: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[0-9a-zA-Z_-]+$/, 'fingerprint must be alphanumeric'),
});

export const WebhookSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(16_384),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(1024),
  groupLabels: LabelSet,
  commonLabels: LabelSet,
  commonAnnotations: Annotations,
  externalURL: z.string().max(8192),
  alerts: z.array(AlertSchema).min(1).max(20_000),
});

export type Alert = z.infer<typeof AlertSchema>;
export type Webhook = z.infer<typeof WebhookSchema>;

/** One alert with the group facts a triage needs, the unit that travels through the queue. */
export interface AlertEnvelope {
  readonly alert: Alert;
  readonly groupKey: string;
  readonly receiver: string;
  readonly externalURL: string;
  readonly truncatedAlerts: number;
  /** The group's size in this delivery. */
  readonly groupSize: number;
  readonly receivedAt: string;
  /** Set on the firing alerts of a storm: they are reported together, as one message with details in its thread. */
  readonly storm?: { readonly id: string; readonly size: number };
}

/**
 * Alerts that are never incidents: Watchdog always fires (a dead man's switch) and InfoInhibitor fires whenever an
 * info alert does (it exists to inhibit). `IGNORED_ALERTS` replaces this list.
 */
export const DEFAULT_IGNORED_ALERTS: readonly string[] = ['Watchdog', 'InfoInhibitor'];

/** Whether an alert is triaged at all: not one of the ignored names, and not `severity="none"`. */
export function isTriaged(alert: Alert, ignored: ReadonlySet<string>): boolean {
  return !ignored.has(alert.labels.alertname ?? '') && alert.labels.severity !== 'none';
}

/** The webhook without the alerts that are never incidents (they count towards nothing, storms included). */
export function withoutIgnored(
  webhook: Webhook,
  ignored: ReadonlySet<string>,
): { readonly webhook: Webhook; readonly ignored: number } {
  const alerts = webhook.alerts.filter((a) => isTriaged(a, ignored));
  return { webhook: { ...webhook, alerts }, ignored: webhook.alerts.length - alerts.length };
}

/** From this many firing alerts in one delivery (with those Alertmanager left out), a group is reported as a storm. */
export const STORM_THRESHOLD = 5;

/**
 * A storm's id depends only on content (group key and the firing alerts' fingerprints and starts), so a re-sent
 * or retried delivery of the same group maps to the same storm.
 */
function stormId(groupKey: string, firing: readonly Alert[]): string {
  const content = [groupKey, ...firing.map((a) => `${a.fingerprint}@${a.startsAt}`).sort()].join('\n');
  return createHash('sha256').update(content).digest('hex').slice(0, 24);
}

export function envelopes(webhook: Webhook, receivedAt: string): AlertEnvelope[] {
  const firing = webhook.alerts.filter((a) => a.status === 'firing');
  // Alerts that Alertmanager cut (max_alerts) count towards a storm: the group is that large.
  const storm =
    firing.length > 0 && firing.length + webhook.truncatedAlerts >= STORM_THRESHOLD
      ? { id: stormId(webhook.groupKey, firing), size: firing.length }
      : undefined;
  return webhook.alerts.map((alert) => ({
    alert,
    groupKey: webhook.groupKey,
    receiver: webhook.receiver,
    externalURL: webhook.externalURL,
    truncatedAlerts: webhook.truncatedAlerts,
    groupSize: webhook.alerts.length,
    receivedAt,
    ...(storm && alert.status === 'firing' ? { storm } : {}),
  }));
}

export { resolveTarget } from './subject.js';
