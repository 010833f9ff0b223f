// runInteraction(job, deps): the worker's half of a button press: change the incident, update the message, say it.

import { type Acknowledgement, utcTime } from '../domain/actions.js';
import type { Incident, TimelineEvent } from '../domain/incident.js';
import type { InteractionJob } from '../domain/interaction-job.js';
import type { Signature } from '../domain/signature.js';
import type { Logger } from '../log.js';
import type {
  ClusterInspector,
  IncidentStore,
  Notifier,
  ResponsePoster,
  SilenceApi,
  StormStore,
} from '../ports.js';
import { rerun } from './rerun.js';
import { silence, unsilence } from './silence-actions.js';

export interface InteractionDeps {
  readonly store: IncidentStore;
  readonly notifier: Notifier;
  readonly storms: StormStore;
  /** undefined: silences are not configured (neither ALERTMANAGER_URL nor a cluster to proxy through). */
  readonly silences: SilenceApi | undefined;
  readonly respond: ResponsePoster;
  readonly inspector: ClusterInspector;
  readonly signatures: () => Promise<readonly Signature[]>;
  readonly nodeLogQueries?: readonly string[];
  readonly log: Logger;
  readonly now?: () => Date;
}

export interface ActionContext {
  readonly job: InteractionJob;
  readonly deps: InteractionDeps;
  readonly now: Date;
  /** An ephemeral line to the person who pressed the button; the message itself is left alone. */
  tell(text: string): Promise<void>;
  /** Writes `change` to the incident with a timeline entry, then re-renders its message and says `said` in its thread. */
  record(
    change: (incident: Incident) => Partial<Incident> | undefined,
    event: TimelineEvent,
    said: string,
  ): Promise<Incident | undefined>;
}

export const who = (job: InteractionJob) => `<@${job.userId}>`;

export async function runInteraction(job: InteractionJob, deps: InteractionDeps): Promise<string> {
  const now = (deps.now ?? (() => new Date()))();
  const log = deps.log.child({ action: job.action, user: job.userId, incidentId: job.incidentId ?? null });
  const ctx: ActionContext = {
    job,
    deps,
    now,
    tell: async (text) => {
      const outcome = await deps.respond(job.responseUrl, { text, blocks: [] }, { replace_original: false });
      if (outcome !== 'posted') log.warn('could not answer on response_url', { outcome });
    },
    record: async (change, event, said) => {
      const updated = await deps.store.update(job.incidentId ?? '', (incident) => {
        const fields = change(incident);
        if (!fields) return undefined;
        return {
          ...incident,
          ...fields,
          timeline: [...(incident.timeline ?? []), event],
          updatedAt: now.toISOString(),
        };
      });
      if (updated) {
        await deps.notifier.refresh(updated);
        await deps.notifier.note(updated, said);
      }
      return updated;
    },
  };
  if (job.action === 'storm-ack') return stormAck(ctx);
  const incident = await deps.store.get(job.incidentId ?? '');
  if (!incident) {
    await ctx.tell(`There is no incident ${job.incidentId} (any more); nothing was done.`);
    return 'unknown-incident';
  }
  const outcome = await act(incident, ctx);
  log.info('interaction done', { outcome });
  return outcome;
}

async function act(incident: Incident, ctx: ActionContext): Promise<string> {
  const { job, now } = ctx;
  const at = now.toISOString();
  switch (job.action) {
    case 'ack': {
      const done = await ctx.record(
        (i) => (i.acknowledged ? undefined : { acknowledged: { by: job.userId, at } }),
        { at, event: 'acknowledged', detail: `by ${job.userId}` },
        `Acknowledged by ${who(job)} at ${utcTime(at, now)}.`,
      );
      if (!done && incident.acknowledged)
        await ctx.tell(
          `Already acknowledged by <@${incident.acknowledged.by}> at ${utcTime(incident.acknowledged.at, now)}.`,
        );
      return done ? 'acknowledged' : 'already-acknowledged';
    }
    case 'silence':
      return silence(incident, ctx);
    case 'unsilence':
      return unsilence(incident, ctx);
    case 'rerun':
      return rerun(incident, ctx);
    case 'right':
    case 'wrong': {
      const verdict = job.action;
      // The same person giving the same verdict again (or a redelivered press) changes nothing.
      const same = (i: Incident) => i.verdict?.verdict === verdict && i.verdict.by === job.userId;
      if (same(incident)) {
        await ctx.tell(`You already marked this diagnosis ${verdict}.`);
        return `already-${verdict}`;
      }
      await ctx.record(
        (i) => (same(i) ? undefined : { verdict: { verdict, by: job.userId, at } }),
        { at, event: 'verdict', detail: `${verdict} by ${job.userId}` },
        `${who(job)} marked the diagnosis *${verdict}*${verdict === 'wrong' ? ': what was it? Pick a signature or type it under the message.' : '.'}`,
      );
      return `marked-${verdict}`;
    }
    case 'actual': {
      const actual = job.signatureId ? { signatureId: job.signatureId } : { text: job.text ?? '' };
      const said = job.signatureId
        ? `\`${job.signatureId}\``
        : `"${(job.text ?? '').replace(/[<>&]/g, ' ')}"`;
      await ctx.record(
        () => ({ verdict: { verdict: 'wrong', by: job.userId, at, actual } }),
        {
          at,
          event: 'verdict',
          detail: `wrong by ${job.userId}: it was ${job.signatureId ?? (job.text ?? '').slice(0, 200)}`,
        },
        `${who(job)} says the diagnosis was wrong: it was ${said}.`,
      );
      return 'marked-wrong';
    }
    default:
      return 'ignored';
  }
}

/** Acknowledges every incident of a storm not acknowledged yet, and says so in the summary's thread. */
async function stormAck(ctx: ActionContext): Promise<string> {
  const { job, deps, now } = ctx;
  const members = await deps.storms.members(job.stormId ?? '');
  if (members.length === 0) {
    await ctx.tell('That storm is not known (any more); nothing was done.');
    return 'unknown-storm';
  }
  const ack: Acknowledgement = { by: job.userId, at: now.toISOString() };
  let count = 0;
  for (const member of members) {
    const updated = await deps.store.update(member.incidentId, (incident) =>
      incident.acknowledged
        ? undefined
        : {
            ...incident,
            acknowledged: ack,
            timeline: [
              ...(incident.timeline ?? []),
              { at: ack.at, event: 'acknowledged', detail: `by ${job.userId} (storm ${job.stormId})` },
            ],
            updatedAt: ack.at,
          },
    );
    if (updated) count += 1;
  }
  await deps.notifier.noteAt(
    { channel: job.channelId, ts: job.messageTs },
    `Acknowledged by ${who(job)} at ${utcTime(ack.at, now)}: ${count} incident(s) of this storm${
      count < members.length ? ` (${members.length - count} were already acknowledged)` : ''
    }.`,
  );
  return 'storm-acknowledged';
}
