// Storm reporting: every alert of a storm checks in; the last one in reports the whole storm, once, in <= 10 Slack calls.
import type { AlertEnvelope } from '../domain/alert.js';
import { STORM_THRESHOLD } from '../domain/alert.js';
import type { Incident, Notification } from '../domain/incident.js';
import { type StormMember, stormMember, summarizeStorm } from '../domain/storm.js';
import type { Logger } from '../log.js';
import type { StormStore } from '../ports.js';
import { claimantId } from './claimant.js';
import { type NotifyDeps, notifyOnce } from './notify.js';

/** A storm of the same group within this long continues the earlier storm's thread. */
export const GROUP_THREAD_WINDOW_MS = 3600 * 1000;
const REPORT_LEASE_MS = 120_000;
const RESOLVE_LEASE_MS = 60_000;

export interface StormDeps extends NotifyDeps {
  readonly storms: StormStore;
}

/** `{}:{namespace="shop"}` reads better as `namespace="shop"`. */
export function groupLabel(groupKey: string): string {
  const labels = groupKey.slice(groupKey.lastIndexOf(':{') + 1);
  return labels === '{}' || labels === '' ? 'without group labels' : labels.replace(/^\{|\}$/g, '');
}

/**
 * `postedAlone`: the alert got its own message (a new critical one): the storm lists it as reported, not as new.
 */
export async function reportStorm(
  envelope: AlertEnvelope,
  incident: Incident,
  deps: StormDeps,
  log: Logger,
  now: () => Date,
  postedAlone = false,
): Promise<'storm-pending' | 'notifying-elsewhere' | 'notified' | 'duplicate'> {
  const storm = envelope.storm;
  if (!storm) throw new Error('reportStorm needs a storm envelope');
  const checkedIn = await deps.storms.checkIn(
    storm.id,
    stormMember(incident, postedAlone || incident.notifications.length > 0),
    storm.size,
  );
  if (checkedIn < storm.size) {
    log.info('storm member checked in', { stormId: storm.id, checkedIn, size: storm.size });
    return 'storm-pending';
  }
  const claimant = claimantId(deps.workerId);
  const attempt = await deps.storms.claimReport(storm.id, claimant, now(), REPORT_LEASE_MS);
  if (!attempt) return 'notifying-elsewhere';
  try {
    const members = await deps.storms.members(storm.id);
    const summary = summarizeStorm(members, { truncated: envelope.truncatedAlerts });
    if (summary.fresh === 0) {
      await deps.storms.markReported(storm.id, { channel: '', ts: '' });
      return 'duplicate';
    }
    if (summary.fresh + summary.truncated < STORM_THRESHOLD) {
      // Standing alerts re-sent with a few new ones are not a storm: each new alert gets its own diagnosis.
      await postAlone(members, deps, log, now);
      await deps.storms.markReported(storm.id, { channel: '', ts: '' });
      return 'notified';
    }
    const groupKey = `GROUP#${envelope.groupKey}`;
    const earlier = await deps.threads.find(groupKey);
    const recent =
      earlier && now().getTime() - Date.parse(earlier.at) <= GROUP_THREAD_WINDOW_MS ? earlier : undefined;
    const parent = await deps.notifier.storm(summary, groupLabel(envelope.groupKey), recent, {
      stormId: storm.id,
      attempt,
    });
    const threadTs = parent.threadTs ?? parent.ts;
    const at = now().toISOString();
    const onThread: Notification = { channel: parent.channel, ts: parent.ts, threadTs, stormId: storm.id };
    for (const member of members) {
      if (!member.alreadyNotified) await deps.store.recordNotification(member.incidentId, onThread, at);
    }
    await deps.storms.markReported(storm.id, parent, summary.truncated);
    await deps.threads.remember(
      groupKey,
      { channel: parent.channel, ts: threadTs, incidentId: incident.id, at },
      4 * 3600,
    );
    log.info('storm reported', {
      stormId: storm.id,
      alerts: summary.fresh,
      diagnoses: summary.groups.length,
    });
    return 'notified';
  } catch (error) {
    await deps.storms.releaseReport(storm.id, claimant).catch(() => undefined);
    throw error;
  }
}

async function postAlone(
  members: readonly StormMember[],
  deps: StormDeps,
  log: Logger,
  now: () => Date,
): Promise<void> {
  for (const member of members) {
    if (member.alreadyNotified) continue;
    const incident = await deps.store.get(member.incidentId);
    if (incident && incident.notifications.length === 0) await notifyOnce(incident, deps, log, now);
  }
}

/** Records a member's resolve; when it was the storm's last firing alert, tells the storm's thread, once. */
export async function resolveStormMember(
  stormId: string,
  incident: Incident,
  deps: Pick<StormDeps, 'storms' | 'notifier' | 'workerId'>,
  log: Logger,
  now: () => Date = () => new Date(),
): Promise<void> {
  const at = incident.endsAt ?? incident.updatedAt;
  const { resolved, total } = await deps.storms.resolveMember(stormId, incident.id, at);
  if (resolved < total) return;
  // On a lease like every other post: a worker that dies holding it (killed at its timeout while waiting out a
  // 429) only delays the resolve until the lease runs out; the next delivery of any member posts it.
  const claimant = claimantId(deps.workerId);
  const claimed = await deps.storms.claimResolvedReport(stormId, claimant, now(), RESOLVE_LEASE_MS);
  if (!claimed) return;
  try {
    // An empty ts: the storm was a re-send that posted nothing of its own; there is no thread to tell.
    if (claimed.parent.ts) {
      const summary = summarizeStorm(await deps.storms.members(stormId), { truncated: claimed.truncated });
      await deps.notifier.stormResolved(claimed.parent, summary, groupLabel(incident.groupKey), at, {
        stormId,
        attempt: claimed.attempt,
      });
    }
  } catch (error) {
    await deps.storms.releaseResolvedReport(stormId, claimant).catch(() => undefined);
    throw error;
  }
  await deps.storms.markResolvedReported(stormId, now());
  log.info('storm resolved', { stormId, alerts: total });
}
