// Notifier over @slack/web-api: one parent message per incident, resolve as an in-place update plus a thread reply.
import type { Incident, Notification } from '../../domain/incident.js';
import type { StormSummary } from '../../domain/storm.js';
import type { Notifier } from '../../ports.js';
import type { SlackMessage } from '../../slack-render/blocks.js';
import { incidentMessage, resolvedReply } from '../../slack-render/incident-message.js';
import {
  stormGroupMessage,
  stormResolvedReply,
  stormSummaryMessage,
} from '../../slack-render/storm-message.js';
import type { PostKey } from './idempotent-post.js';
import { type SlackNotifierOptions, SlackPoster, slackError } from './slack-poster.js';

export class SlackNotifier implements Notifier {
  private readonly slack: SlackPoster;

  constructor(private readonly options: SlackNotifierOptions) {
    this.slack = new SlackPoster(options);
  }

  async findPosted(
    incident: Incident,
    thread: { channel: string; ts: string } | undefined,
  ): Promise<Notification | undefined> {
    const channel = thread?.channel ?? this.options.channel;
    const ts = await this.slack.lookup(channel, incidentKey(incident), thread?.ts);
    if (!ts) return undefined;
    return thread ? { channel, ts, threadTs: thread.ts } : { channel, ts };
  }

  async notify(incident: Incident): Promise<Notification> {
    const message = incidentMessage(incident);
    try {
      return await this.slack.post(
        { channel: this.options.channel, text: message.text, blocks: [...message.blocks] },
        incidentKey(incident),
      );
    } catch (error) {
      throw slackError(error, `post incident ${incident.id}`);
    }
  }

  async reply(
    incident: Incident,
    parent: { channel: string; ts: string },
    broadcast: boolean,
    why: 'refire' | 'node' = broadcast ? 'refire' : 'node',
  ): Promise<Notification> {
    const note =
      why === 'refire'
        ? 'Fired again soon after it resolved: continuing in this thread.'
        : 'Same node-wide cause as this thread: another affected pod.';
    const message = incidentMessage(incident, note);
    try {
      const posted = await this.slack.post(
        {
          channel: parent.channel,
          thread_ts: parent.ts,
          reply_broadcast: broadcast,
          text: message.text,
          blocks: [...message.blocks],
        },
        incidentKey(incident),
      );
      return { ...posted, threadTs: parent.ts };
    } catch (error) {
      throw slackError(error, `reply for incident ${incident.id}`);
    }
  }

  /**
   * The summary and one reply per diagnosis, each keyed by the storm id. A report retried after a partial
   * failure (attempt > 1) finds what already landed and posts only the rest.
   */
  async storm(
    summary: StormSummary,
    group: string,
    thread: { channel: string; ts: string } | undefined,
    report: { readonly stormId: string; readonly attempt: number },
  ): Promise<Notification> {
    const { stormId, attempt } = report;
    const message = stormSummaryMessage(summary, group, { stormId });
    const channel = thread?.channel ?? this.options.channel;
    const since = Math.floor(Date.now() / 1000) - 6 * 3600;
    const summaryKey = { id: `storm:${stormId}`, since };
    try {
      // Only a retried report can find its own messages; the first attempt spends no read on it.
      const earlier = attempt > 1 ? await this.slack.lookup(channel, summaryKey, thread?.ts) : undefined;
      const parent = earlier
        ? { channel, ts: earlier }
        : await this.slack.post(
            {
              channel,
              text: message.text,
              blocks: [...message.blocks],
              ...(thread ? { thread_ts: thread.ts, reply_broadcast: true } : {}),
            },
            summaryKey,
          );
      const threadTs = thread?.ts ?? parent.ts;
      const landed = earlier ? await this.slack.posted(channel, since, threadTs) : new Map<string, string>();
      for (const [i, diagnosis] of summary.groups.entries()) {
        const key = { id: `storm:${stormId}:${i}`, since };
        if (landed.has(key.id)) continue;
        const detail = stormGroupMessage(diagnosis);
        await this.slack.post(
          { channel: parent.channel, thread_ts: threadTs, text: detail.text, blocks: [...detail.blocks] },
          key,
        );
      }
      return thread ? { ...parent, threadTs } : parent;
    } catch (error) {
      throw slackError(error, `post storm in ${group}`);
    }
  }

  async stormResolved(
    parent: Notification,
    summary: StormSummary,
    group: string,
    lastAt: string,
    report?: { readonly stormId: string; readonly attempt: number },
  ): Promise<void> {
    // A summary of its own is updated in place; one posted into an earlier storm's thread is left alone.
    const own = !parent.threadTs || parent.threadTs === parent.ts;
    await this.closeThread(
      parent,
      own ? stormSummaryMessage(summary, group, { resolvedAt: lastAt }) : undefined,
      stormResolvedReply(summary.total, lastAt),
      `resolve storm ${parent.ts}`,
      report ? { id: `storm-resolved:${report.stormId}`, attempt: report.attempt } : undefined,
    );
  }

  /**
   * Rewrites the thread's parent (when `update` is given) and replies in the thread, as one Slack step. The update
   * is idempotent; the reply is keyed, and a retried attempt looks for it in the thread before posting it.
   */
  private async closeThread(
    parent: Notification,
    update: SlackMessage | undefined,
    reply: string,
    what: string,
    key?: { readonly id: string; readonly attempt: number },
  ): Promise<void> {
    const threadTs = parent.threadTs ?? parent.ts;
    try {
      if (update) {
        await this.slack.paced(parent.channel, () =>
          this.slack.client.chat.update({
            channel: parent.channel,
            ts: parent.ts,
            text: update.text,
            blocks: [...update.blocks] as never,
          }),
        );
      }
      const postKey = key ? { id: key.id, since: Number(threadTs.split('.')[0] ?? 0) } : undefined;
      if (postKey && key && key.attempt > 1 && (await this.slack.lookup(parent.channel, postKey, threadTs)))
        return;
      await this.slack.post({ channel: parent.channel, thread_ts: threadTs, text: reply }, postKey);
    } catch (error) {
      throw slackError(error, what);
    }
  }

  async resolved(incident: Incident, attempt = 1): Promise<void> {
    const own = incident.notifications[0];
    if (!own) return;
    // A parent of its own is updated in place (status, duration); a reply in someone else's thread is left alone.
    await this.closeThread(
      own,
      own.threadTs ? undefined : incidentMessage(incident),
      resolvedReply(incident),
      `resolve incident ${incident.id}`,
      { id: `resolved:${incident.id}`, attempt },
    );
  }

  async refresh(incident: Incident): Promise<void> {
    const own = incident.notifications[0];
    // A storm member's notification points at the storm's summary, which is not this incident's to rewrite.
    if (!own || own.stormId) return;
    // Its own message, wherever it sits (a reply in a thread can be updated too); the thread note is lost on
    // re-render, which is why what was done is also said in the thread.
    const message = incidentMessage(incident);
    try {
      await this.slack.client.chat.update({
        channel: own.channel,
        ts: own.ts,
        text: message.text,
        blocks: [...message.blocks] as never,
      });
    } catch (error) {
      throw slackError(error, `update incident ${incident.id}`);
    }
  }

  async note(incident: Incident, text: string): Promise<void> {
    const own = incident.notifications[0];
    if (!own) return;
    await this.noteAt({ channel: own.channel, ts: own.threadTs ?? own.ts }, text);
  }

  async noteAt(parent: { channel: string; ts: string }, text: string): Promise<void> {
    try {
      await this.slack.post({ channel: parent.channel, thread_ts: parent.ts, text });
    } catch (error) {
      throw slackError(error, `reply in thread ${parent.ts}`);
    }
  }
}

/** What an incident's message is found by: its id, posted no earlier than a minute before it was created. */
function incidentKey(incident: Incident): PostKey {
  return { id: incident.id, since: Math.floor(Date.parse(incident.createdAt) / 1000) - 60 };
}
