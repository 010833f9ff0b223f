// Exactly one Slack message per incident: claim, choose a thread (re-fire, node-wide fault) or a new parent, record.
import type { Incident, Notification } from '../domain/incident.js';
import type { Logger } from '../log.js';
import type { IncidentStore, Notifier, ThreadIndex, ThreadRef, TriageMetrics } from '../ports.js';
import { claimantId } from './claimant.js';

/** A re-fire within this long after the previous firing resolved continues that thread instead of a new post. */
export const REFIRE_WINDOW_MS = 6 * 3600 * 1000;
/** Another pod hit by the same node-wide cause within this long joins the node's thread. */
export const NODE_THREAD_WINDOW_MS = 2 * 3600 * 1000;
/** How long a claim to notify holds before another delivery may take over an unfinished notification. */
const NOTIFY_LEASE_MS = 60_000;

export interface NotifyDeps {
  readonly store: IncidentStore;
  readonly notifier: Notifier;
  readonly threads: ThreadIndex;
  readonly workerId?: string;
  readonly metrics?: TriageMetrics;
}

export const fingerprintKey = (incident: Incident) => `FP#${incident.fingerprint}`;

/** The node-wide thread key, when the diagnosis names the node as the common factor of failing pods. */
export function nodeKey(incident: Incident): string | undefined {
  const top = incident.findings[0];
  return top?.correlation ? `NODE#${top.correlation.node}#${top.signatureId}` : undefined;
}

type Placement =
  | { readonly kind: 'parent' }
  | {
      readonly kind: 'thread';
      readonly ref: ThreadRef;
      readonly broadcast: boolean;
      readonly why: 'refire' | 'node';
    };

async function place(
  incident: Incident,
  threads: ThreadIndex,
  store: IncidentStore,
  now: Date,
): Promise<Placement> {
  const previous = await threads.find(fingerprintKey(incident));
  if (previous?.resolvedAt && previous.incidentId !== incident.id) {
    const gap = Date.parse(incident.startsAt) - Date.parse(previous.resolvedAt);
    if (gap >= 0 && gap <= REFIRE_WINDOW_MS) {
      // Someone acknowledged the earlier firing from Slack: its re-fires stay in the thread, off the channel.
      const acknowledged = (await store.get(previous.incidentId))?.acknowledged !== undefined;
      return { kind: 'thread', ref: previous, broadcast: !acknowledged, why: 'refire' };
    }
  }
  const node = nodeKey(incident);
  if (node) {
    const nodeThread = await threads.find(node);
    if (
      nodeThread &&
      nodeThread.incidentId !== incident.id &&
      now.getTime() - Date.parse(nodeThread.at) <= NODE_THREAD_WINDOW_MS
    ) {
      return { kind: 'thread', ref: nodeThread, broadcast: false, why: 'node' };
    }
  }
  return { kind: 'parent' };
}

async function remember(
  incident: Incident,
  posted: Notification,
  threads: ThreadIndex,
  now: Date,
): Promise<void> {
  const parentTs = posted.threadTs ?? posted.ts;
  const ref: ThreadRef = {
    channel: posted.channel,
    ts: parentTs,
    incidentId: incident.id,
    at: now.toISOString(),
  };
  await threads.remember(fingerprintKey(incident), ref, Math.ceil((REFIRE_WINDOW_MS * 4) / 1000));
  const node = nodeKey(incident);
  if (node && !posted.threadTs) await threads.remember(node, ref, Math.ceil(NODE_THREAD_WINDOW_MS / 1000));
}

export async function notifyOnce(
  incident: Incident,
  deps: NotifyDeps,
  log: Logger,
  now: () => Date,
): Promise<'notified' | 'notifying-elsewhere'> {
  const claimant = claimantId(deps.workerId);
  const attempt = await deps.store.claimNotification(incident.id, claimant, now(), NOTIFY_LEASE_MS);
  if (!attempt) {
    log.info('another delivery holds or finished the notification');
    return 'notifying-elsewhere';
  }
  let posted: Notification;
  try {
    const placement = await place(incident, deps.threads, deps.store, now());
    const thread = placement.kind === 'parent' ? undefined : placement.ref;
    // An earlier attempt may have posted and died before recording it: adopt that message, never post twice.
    const earlier = attempt > 1 ? await deps.notifier.findPosted(incident, thread) : undefined;
    if (earlier)
      log.warn('an earlier attempt had posted this incident; recording that message', { ts: earlier.ts });
    posted =
      earlier ??
      (placement.kind === 'parent'
        ? await deps.notifier.notify(incident)
        : await deps.notifier.reply(incident, placement.ref, placement.broadcast, placement.why));
  } catch (error) {
    deps.metrics?.count('SlackDeliveryFailed');
    const reason = error instanceof Error ? error.message : String(error);
    await deps.store.recordDeliveryFailure(incident.id, reason, now().toISOString()).catch(() => undefined);
    await deps.store.releaseNotification(incident.id, claimant);
    throw error;
  }
  deps.metrics?.count('SlackPosts');
  await deps.store.recordNotification(incident.id, posted, now().toISOString());
  await remember(incident, posted, deps.threads, now()).catch((error: unknown) =>
    log.warn('could not remember the thread; a re-fire will start a new one', { error }),
  );
  log.info('notified', { channel: posted.channel, ts: posted.ts, threadTs: posted.threadTs ?? null });
  return 'notified';
}

/** After a resolve: a re-fire soon after may continue this incident's thread. */
export async function rememberResolved(incident: Incident, threads: ThreadIndex): Promise<void> {
  const own = incident.notifications[0];
  if (!own || !incident.endsAt) return;
  const ref: ThreadRef = {
    channel: own.channel,
    ts: own.threadTs ?? own.ts,
    incidentId: incident.id,
    at: incident.updatedAt,
    resolvedAt: incident.endsAt,
  };
  await threads.remember(fingerprintKey(incident), ref, Math.ceil((REFIRE_WINDOW_MS * 4) / 1000));
}
