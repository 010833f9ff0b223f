// triage(alert, deps): the one path from an alert to a recorded incident and one notification, for Lambda and local.
import type { AlertEnvelope } from '../domain/alert.js';
import { resolveTarget } from '../domain/alert.js';
import { emptyContext } from '../domain/context.js';
import { type Incident, incidentId, newIncident, resolvedAt } from '../domain/incident.js';
import type { Signature } from '../domain/signature.js';
import type { Logger } from '../log.js';
import type {
  ClusterInspector,
  IncidentStore,
  Notifier,
  StormStore,
  ThreadIndex,
  TriageMetrics,
} from '../ports.js';
import { claimantId } from './claimant.js';
import { investigate } from './investigate.js';
import { notifyOnce, rememberResolved } from './notify.js';
import { Phases } from './phases.js';
import { withRecurrence } from './recurrence.js';
import { reportStorm, resolveStormMember } from './storm.js';

export interface TriageDeps {
  readonly inspector: ClusterInspector;
  readonly store: IncidentStore;
  readonly notifier: Notifier;
  readonly threads: ThreadIndex;
  readonly storms: StormStore;
  readonly metrics?: TriageMetrics;
  /** The optional node log query: services or /var/log files to read on the node (empty: off). */
  readonly nodeLogQueries?: readonly string[];
  readonly signatures: () => Promise<readonly Signature[]>;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Identifies this worker when it claims the right to notify. */
  readonly workerId?: string;
}

/** How long a claim to tell a resolve holds before another delivery may take it over. */
const RESOLVE_LEASE_MS = 60_000;

export type TriageOutcome =
  | 'notified'
  | 'duplicate'
  | 'notifying-elsewhere'
  | 'resolved'
  | 'resolved-unknown'
  | 'already-resolved'
  | 'storm-pending';

export async function triage(envelope: AlertEnvelope, deps: TriageDeps): Promise<TriageOutcome> {
  const now = deps.now ?? (() => new Date());
  const id = incidentId(envelope.alert);
  const log = deps.log.child({
    incidentId: id,
    fingerprint: envelope.alert.fingerprint,
    alertname: envelope.alert.labels.alertname,
  });

  if (envelope.alert.status === 'resolved') return resolve(envelope, id, deps, log, now);

  const phases = new Phases();
  let incident = await deps.store.get(id);
  phases.end('lookup');
  // A storm member checks in even when it was reported before, so the storm's count completes.
  if (incident && incident.notifications.length > 0 && !envelope.storm) {
    log.info('duplicate delivery: incident already notified');
    return 'duplicate';
  }
  if (!incident) {
    const target = resolveTarget(envelope.alert.labels);
    const signatures = await deps.signatures();
    phases.end('playbook');
    const { context, findings } = await investigate(envelope.alert, target, {
      inspector: deps.inspector,
      signatures,
      nodeLogQueries: deps.nodeLogQueries ?? [],
      now,
      phases,
    });
    phases.end('diagnose');
    const fresh = await recurrenceOf(
      newIncident(envelope, context, findings, now().toISOString()),
      deps,
      log,
      now,
    );
    const metrics = deps.metrics;
    metrics?.count('AlertsDiagnosed');
    metrics?.count('Diagnosis', 1, { name: 'Signature', value: findings[0]?.signatureId ?? 'none' });
    if (fresh.unavailable.length > 0) metrics?.count('ContextUnavailable', fresh.unavailable.length);
    log.info('diagnosed', {
      target,
      topSignature: findings[0]?.signatureId ?? null,
      confidence: findings[0]?.confidence ?? null,
      unavailable: fresh.unavailable,
    });
    const created = await deps.store.create(fresh);
    incident = created === 'created' ? fresh : ((await deps.store.get(id)) ?? fresh);
    phases.end('store');
  }
  const outcome = await notifyOrJoinStorm(envelope, incident, deps, log, now);
  phases.end('notify');
  const timings = phases.all();
  for (const [phase, ms] of Object.entries(timings))
    deps.metrics?.duration(`${phase[0]?.toUpperCase()}${phase.slice(1)}Duration`, ms);
  log.info('triage timings', { outcome, ...timings });
  return outcome;
}

/**
 * A storm's members are reported together, except a new critical alert: it gets its own message with its diagnosis
 * first, and the storm lists it as reported.
 */
async function notifyOrJoinStorm(
  envelope: AlertEnvelope,
  incident: Incident,
  deps: TriageDeps,
  log: Logger,
  now: () => Date,
): Promise<TriageOutcome> {
  if (!envelope.storm) return notifyOnce(incident, deps, log, now);
  if (incident.severity !== 'critical' || incident.notifications.length > 0)
    return reportStorm(envelope, incident, deps, log, now);
  const own = await notifyOnce(incident, deps, log, now);
  await reportStorm(envelope, incident, deps, log, now, true);
  return own;
}

/** Recurrence is a nicety: if the history cannot be read, the diagnosis goes out without it. */
async function recurrenceOf(
  incident: Incident,
  deps: TriageDeps,
  log: Logger,
  now: () => Date,
): Promise<Incident> {
  try {
    return await withRecurrence(incident, deps.store, now());
  } catch (error) {
    log.warn('could not check recurrence', { error });
    return incident;
  }
}

async function resolve(
  envelope: AlertEnvelope,
  id: string,
  deps: TriageDeps,
  log: Logger,
  now: () => Date,
): Promise<TriageOutcome> {
  const existing = await deps.store.get(id);
  if (!existing) {
    // Resolved before we ever saw it fire (or before the store kept it): record it, say nothing in Slack.
    const target = resolveTarget(envelope.alert.labels);
    const context = emptyContext(target, 'resolved on arrival', now().toISOString());
    await deps.store.create(newIncident(envelope, context, [], now().toISOString()));
    log.info('resolved alert for an unknown incident recorded without notification');
    return 'resolved-unknown';
  }
  const updated = await deps.store.resolve(id, resolvedAt(envelope.alert), now().toISOString());
  const current = updated ?? existing;
  // A storm member's resolve is not posted on its own (two hundred replies would bury the thread): the storm's
  // thread hears once, when its last alert resolves. Checked on re-deliveries too, so a failed post is retried.
  const stormId = current.notifications[0]?.stormId;
  if (stormId) await resolveStormMember(stormId, current, deps, log, now);
  else if (current.notifications.length > 0 && current.status === 'resolved')
    await tellResolved(current, deps, log, now);
  log.info(updated ? 'resolved' : 'resolve re-delivered');
  return updated ? 'resolved' : 'already-resolved';
}

/**
 * The resolve reply, once, on a lease of its own: a redelivery after a failed post tries again (a resolve marked in
 * the store but never told is otherwise lost), and a later attempt looks for a reply that landed first.
 */
async function tellResolved(
  incident: Incident,
  deps: TriageDeps,
  log: Logger,
  now: () => Date,
): Promise<void> {
  const claimant = claimantId(deps.workerId);
  const attempt = await deps.store.claimResolveNotice(incident.id, claimant, now(), RESOLVE_LEASE_MS);
  if (!attempt) return;
  try {
    await deps.notifier.resolved(incident, attempt);
  } catch (error) {
    await deps.store.releaseResolveNotice(incident.id, claimant).catch(() => undefined);
    throw error;
  }
  await deps.store.markResolveNoticed(incident.id, now());
  await rememberResolved(incident, deps.threads).catch((error: unknown) =>
    log.warn('could not remember the resolved thread', { error }),
  );
}
