// The Incident record (the README's contract): its stable id, and how an alert plus findings become one.
import type { Acknowledgement, SilenceRecord, Verdict } from './actions.js';
import type { Alert, AlertEnvelope } from './alert.js';
import { PIECE_NAMES, type Piece, type Target, type TriageContext } from './context.js';
import { observedContext } from './observed.js';
import { redact } from './redact.js';
import type { Finding } from './signature.js';

export type IncidentStatus = 'firing' | 'resolved';

export interface Notification {
  readonly channel: string;
  /** This incident's own message. */
  readonly ts: string;
  /** Set when the incident was posted into an existing thread (a re-fire, or another pod of a node-wide fault). */
  readonly threadTs?: string;
  /** Set when the incident was reported as part of a storm (one summary for many alerts). */
  readonly stormId?: string;
}

export interface TimelineEvent {
  readonly at: string;
  readonly event:
    | 'fired'
    | 'diagnosed'
    | 'notified'
    | 'delivery-failed'
    | 'resolved'
    // Actions taken from the Slack message (src/actions); `detail` names who.
    | 'acknowledged'
    | 'silenced'
    | 'unsilenced'
    | 'rerun'
    | 'verdict';
  readonly detail?: string;
}

/** What happened to the Slack notification, kept on the incident for the history API and for on-call. */
export interface Delivery {
  readonly status: 'delivered' | 'failed';
  readonly attempts: number;
  readonly at: string;
  readonly lastError?: string;
}

export interface Incident {
  readonly id: string;
  readonly fingerprint: string;
  readonly alertname: string;
  readonly severity: string;
  readonly status: IncidentStatus;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly target: Target;
  readonly findings: readonly Finding[];
  /** Pieces of context that could not be gathered, with the reason: a degraded diagnosis says so. */
  readonly unavailable: readonly string[];
  /** When no signature matched: what the gathered context showed, a line each, for the engineer to start from. */
  readonly observed?: readonly string[];
  readonly groupKey: string;
  readonly generatorURL: string;
  readonly notifications: readonly Notification[];
  readonly delivery?: Delivery;
  /** What happened, in order: fired, diagnosed, notified (or delivery-failed), resolved. */
  readonly timeline?: readonly TimelineEvent[];
  /** Who acknowledged it from Slack, and when. */
  readonly acknowledged?: Acknowledgement;
  /** The latest silence created from Slack (kept after it ends or is expired). */
  readonly silence?: SilenceRecord;
  /** On-call's verdict on the diagnosis. */
  readonly verdict?: Verdict;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Alertmanager writes this for endsAt while an alert fires. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Stable id from the fingerprint (a hash of the label set) and startsAt: re-sends of one firing share it,
 * a re-fire after resolve (same labels, new startsAt) gets a new one.
 */
export function incidentId(alert: Pick<Alert, 'fingerprint' | 'startsAt'>): string {
  const t = new Date(alert.startsAt);
  const stamp = Number.isNaN(t.getTime())
    ? alert.startsAt.replace(/[^0-9A-Za-z]/g, '')
    : t.toISOString().replace(/[-:.]/g, '');
  return `${alert.fingerprint}-${stamp}`;
}

export function unavailablePieces(context: TriageContext): string[] {
  const out: string[] = [];
  for (const [key, label] of Object.entries(PIECE_NAMES)) {
    // Claim, quota and node-list pieces exist only on the contexts of subjects that need them.
    const piece = context[key as keyof TriageContext] as Piece<unknown> | undefined;
    // Reasons are error messages from the cluster client: a URL in one may carry credentials.
    if (piece?.status === 'unavailable') out.push(`${label}: ${redact(piece.reason)}`);
  }
  if (context.claim?.status === 'ok')
    for (const part of context.claim.value.unread) out.push(`PersistentVolumeClaim, ${redact(part)}`);
  return out;
}

export function newIncident(
  envelope: AlertEnvelope,
  context: TriageContext,
  findings: readonly Finding[],
  now: string,
): Incident {
  const { alert } = envelope;
  return {
    id: incidentId(alert),
    fingerprint: alert.fingerprint,
    alertname: alert.labels.alertname ?? '',
    severity: alert.labels.severity ?? 'none',
    status: alert.status,
    startsAt: alert.startsAt,
    endsAt: alert.status === 'resolved' && alert.endsAt !== ZERO_TIME ? alert.endsAt : null,
    labels: alert.labels,
    annotations: alert.annotations,
    target: withNode(context),
    findings,
    unavailable: unavailablePieces(context),
    ...(findings.length === 0 && alert.status === 'firing'
      ? { observed: observedContext(alert, context) }
      : {}),
    groupKey: envelope.groupKey,
    generatorURL: alert.generatorURL,
    notifications: [],
    timeline: [
      { at: alert.startsAt, event: 'fired', detail: `${alert.labels.alertname ?? 'alert'} fired` },
      ...(alert.status === 'firing'
        ? [
            {
              at: now,
              event: 'diagnosed' as const,
              detail: findings[0]
                ? `${findings[0].signatureId} (${findings[0].confidence})`
                : 'no known signature matched',
            },
          ]
        : [{ at: alert.endsAt, event: 'resolved' as const }]),
    ],
    createdAt: now,
    updatedAt: now,
  };
}

/** The target as the alert named it, completed with the pod's node once the pod was read. */
function withNode(context: TriageContext): Target {
  if (context.target.node || context.pod.status !== 'ok' || !context.pod.value.nodeName)
    return context.target;
  return { ...context.target, node: context.pod.value.nodeName };
}

export function resolvedAt(alert: Alert): string | null {
  return alert.endsAt !== ZERO_TIME ? alert.endsAt : null;
}
