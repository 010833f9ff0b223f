// Silence and Unsilence from the message: a silence in Alertmanager for exactly this alert's subject, and its expiry.
import {
  matchersText,
  type SilenceMatcher,
  silenceActive,
  silenceMatchers,
  utcTime,
} from '../domain/actions.js';
import type { Incident } from '../domain/incident.js';
import { subjectLabel } from '../domain/subject.js';
import { DependencyError } from '../ports.js';
import { type ActionContext, who } from './run-interaction.js';

/** Slack's redirect to a message, from channel and ts (no workspace domain needed). */
export function messageLink(channel: string, ts: string): string {
  return `https://slack.com/archives/${channel}/p${ts.replace('.', '')}`;
}

const reasonOf = (error: unknown) =>
  error instanceof DependencyError ? error.message : error instanceof Error ? error.message : String(error);

/**
 * A silence this incident's earlier attempt created before it could record it (the worker died, the store write
 * failed): adopted, so a redelivered press never leaves two silences. A failed lookup only costs that guarantee.
 */
async function earlierSilence(
  deps: ActionContext['deps'],
  matchers: readonly SilenceMatcher[],
  commentPrefix: string,
  incidentId: string,
): Promise<string | undefined> {
  try {
    const id = await deps.silences?.findActive(matchers, commentPrefix);
    if (id) deps.log.info('silence adopted from an earlier attempt', { incidentId, silenceId: id });
    return id;
  } catch (error) {
    deps.log.warn('could not look for an earlier silence; creating one', {
      incidentId,
      reason: reasonOf(error),
    });
    return undefined;
  }
}

export async function silence(incident: Incident, ctx: ActionContext): Promise<string> {
  const { job, deps, now } = ctx;
  if (!deps.silences) {
    await ctx.tell(
      'Silences are not configured here: set ALERTMANAGER_URL (or ALERTMANAGER_SERVICE with a cluster).',
    );
    return 'silences-off';
  }
  if (silenceActive(incident.silence, now)) {
    await ctx.tell(
      `Already silenced until ${utcTime(incident.silence?.endsAt ?? '', now)} (silence ${incident.silence?.id}).`,
    );
    return 'already-silenced';
  }
  const hours = job.hours ?? 1;
  const matchers = silenceMatchers(incident.labels, incident.target);
  const startsAt = now.toISOString();
  const endsAt = new Date(now.getTime() + hours * 3600_000).toISOString();
  const own = incident.notifications[0];
  const link = own ? messageLink(own.channel, own.ts) : messageLink(job.channelId, job.messageTs);
  const commentPrefix = `alert-triage incident ${incident.id}:`;
  let id: string;
  try {
    id =
      (await earlierSilence(deps, matchers, commentPrefix, incident.id)) ??
      (await deps.silences.create({
        matchers,
        startsAt,
        endsAt,
        createdBy: `${job.userName || job.userId} (Slack ${job.userId}) via alert-triage`,
        comment: `${commentPrefix} ${incident.alertname} on ${subjectLabel(incident.target)}. ${link}`,
      }));
  } catch (error) {
    // Nothing is recorded as silenced: the alert still notifies, and the thread says why.
    const reason = reasonOf(error);
    deps.log.warn('silence failed', { incidentId: incident.id, reason });
    await deps.notifier.note(
      incident,
      `:warning: The ${hours} h silence asked for by ${who(job)} failed: ${reason}. Nothing was silenced.`,
    );
    await ctx.tell(`The silence failed: ${reason}. Nothing was silenced.`);
    return 'silence-failed';
  }
  const until = utcTime(endsAt, now);
  await ctx.record(
    () => ({ silence: { id, by: job.userId, at: startsAt, endsAt, matchers } }),
    {
      at: startsAt,
      event: 'silenced',
      detail: `for ${hours} h by ${job.userId} until ${endsAt} (silence ${id})`,
    },
    `Silenced for ${hours} h by ${who(job)} until ${until} (silence \`${id}\` matching \`${matchersText(matchers).replace(/[<>&]/g, ' ')}\`).`,
  );
  return 'silenced';
}

export async function unsilence(incident: Incident, ctx: ActionContext): Promise<string> {
  const { job, deps, now } = ctx;
  const current = incident.silence;
  if (!current || !silenceActive(current, now)) {
    await ctx.tell('There is no silence in force for this incident; nothing was done.');
    return 'not-silenced';
  }
  if (!deps.silences) {
    await ctx.tell('Silences are not configured here any more: expire it in Alertmanager.');
    return 'silences-off';
  }
  try {
    await deps.silences.expire(current.id);
  } catch (error) {
    const reason = reasonOf(error);
    await deps.notifier.note(
      incident,
      `:warning: Expiring silence \`${current.id}\` for ${who(job)} failed: ${reason}. It is still in force.`,
    );
    await ctx.tell(`Expiring the silence failed: ${reason}. It is still in force.`);
    return 'unsilence-failed';
  }
  const at = now.toISOString();
  await ctx.record(
    (i) =>
      i.silence?.id === current.id
        ? { silence: { ...current, expiredAt: at, expiredBy: job.userId } }
        : undefined,
    { at, event: 'unsilenced', detail: `silence ${current.id} expired by ${job.userId}` },
    `Unsilenced by ${who(job)}: silence \`${current.id}\` expired at ${utcTime(at, now)}.`,
  );
  return 'unsilenced';
}
