// Notifier over @slack/web-api: one parent message per incident, resolve as an in-place update plus a thread reply.
import { WebClient } from '@slack/web-api';
import type { Incident, Notification } from '../../domain/incident.js';
import type { StormSummary } from '../../domain/storm.js';
import type { Logger } from '../../log.js';
import { DependencyError, type Notifier } from '../../ports.js';
import type { SlackMessage } from '../../slack-render/blocks.js';
import { incidentMessage, resolvedReply } from '../../slack-render/incident-message.js';
import {
  stormGroupMessage,
  stormResolvedReply,
  stormSummaryMessage,
} from '../../slack-render/storm-message.js';
import type { Pacer } from '../dynamo/slack-pacer.js';
import { classify, metadataFor, type PostKey, postedIds } from './idempotent-post.js';

export interface SlackNotifierOptions {
  readonly token: string;
  readonly channel: string;
  readonly apiUrl?: string | undefined;
  /** Retries of 5xx/network failures; 429 Retry-After is honoured by the client on top. */
  readonly retries?: number;
  readonly timeoutMs?: number;
  /** Minimum gap between posts to one channel (tests shorten it). */
  readonly postIntervalMs?: number;
  /** Warnings that do not fail a post (a lookup for an earlier post that could not be made). */
  readonly log?: Logger;
  /** Pacing shared with other workers (DynamoDB); without it, posts are paced within this process only. */
  readonly pacer?: Pacer;
}

export function slackClient(options: SlackNotifierOptions): WebClient {
  return new WebClient(options.token, {
    ...clientOptions(options),
    // The default retries for about half an hour; a bounded budget keeps the worker inside its timeout.
    retryConfig: {
      retries: options.retries ?? 3,
      factor: 2,
      minTimeout: 500,
      maxTimeout: 4000,
      randomize: true,
    },
    rejectRateLimitedCalls: false,
  });
}

/**
 * For chat.postMessage only: no retries inside the client, since a retried post whose first answer was lost
 * posts twice. SlackNotifier retries itself and looks for the earlier post first; 429s come back to it too.
 */
function posterClient(options: SlackNotifierOptions): WebClient {
  return new WebClient(options.token, {
    ...clientOptions(options),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

function clientOptions(options: SlackNotifierOptions) {
  return {
    ...(options.apiUrl
      ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` }
      : {}),
    timeout: options.timeoutMs ?? 10_000,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Time one post may spend waiting out 429s (the worker's Lambda timeout is 60 s). */
const MAX_RATE_LIMIT_WAIT_MS = 30_000;

function slackError(error: unknown, what: string): DependencyError {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  const code = e.data?.error ?? e.code ?? 'error';
  return new DependencyError('slack', code, `${what}: ${code}`, { cause: error });
}

/** Slack keeps about one message per second per channel; posts from this process are spaced accordingly. */
const POST_INTERVAL_MS = 1000;

export class SlackNotifier implements Notifier {
  private readonly client: WebClient;
  private readonly poster: WebClient;
  private lastPost = new Map<string, Promise<number>>();

  constructor(private readonly options: SlackNotifierOptions) {
    this.client = slackClient(options);
    this.poster = posterClient(options);
  }

  /** Serialises posts per channel and keeps them POST_INTERVAL_MS apart. */
  private paced<T>(channel: string, post: () => Promise<T>): Promise<T> {
    const previous = this.lastPost.get(channel) ?? Promise.resolve(0);
    const result = previous.then(async (lastAt) => {
      if (this.options.pacer) await this.options.pacer.wait(channel);
      else {
        const wait = lastAt + (this.options.postIntervalMs ?? POST_INTERVAL_MS) - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      return post();
    });
    this.lastPost.set(
      channel,
      result.then(
        () => Date.now(),
        () => Date.now(),
      ),
    );
    return result;
  }

  /**
   * Posts with bounded retries. After a failure that may have posted (timeout, reset, 5xx) and before trying
   * again, a message keyed by `key` is looked for and adopted if it landed.
   */
  private async post(
    args: Record<string, unknown> & { channel: string; text: string; thread_ts?: string },
    key?: PostKey,
  ): Promise<{ channel: string; ts: string }> {
    const full = {
      unfurl_links: false,
      unfurl_media: false,
      ...args,
      ...(key ? { metadata: metadataFor(key) } : {}),
    };
    const retries = this.options.retries ?? 3;
    let waitedMs = 0;
    for (let attempt = 0; ; ) {
      try {
        const answer = await this.paced(args.channel, () => this.poster.chat.postMessage(full as never));
        return { channel: String(answer.channel ?? args.channel), ts: String(answer.ts) };
      } catch (error) {
        const failure = classify(error);
        if (failure.kind === 'refused') throw error;
        if (failure.kind === 'rate-limited') {
          // A 429 posted nothing: waiting it out costs time, not attempts. Bounded so the worker ends well inside
          // its Lambda timeout and the message goes back to the queue instead.
          const waitMs = Math.max(failure.retryAfterSec ?? 1, 1) * 1000;
          if (waitedMs + waitMs > MAX_RATE_LIMIT_WAIT_MS) throw error;
          waitedMs += waitMs;
          await sleep(waitMs);
          continue;
        }
        if (attempt >= retries) throw error;
        await sleep(Math.min(500 * 2 ** attempt, 4000));
        attempt += 1;
        const landed = key ? await this.lookup(args.channel, key, args.thread_ts) : undefined;
        if (landed) return { channel: args.channel, ts: landed };
      }
    }
  }

  /**
   * This app's keyed messages in the channel (from `since`) or in a thread. Empty when they cannot be read (no
   * history scope): the caller then posts again, which may duplicate, and the log says so.
   */
  private async posted(
    channel: string,
    since: number,
    threadTs: string | undefined,
  ): Promise<Map<string, string>> {
    try {
      return await postedIds(this.client, channel, since, threadTs);
    } catch (error) {
      this.options.log?.warn('could not look for an earlier Slack post; posting again may duplicate it', {
        error: slackError(error, 'conversations read').code,
      });
      return new Map();
    }
  }

  private async lookup(
    channel: string,
    key: PostKey,
    threadTs: string | undefined,
  ): Promise<string | undefined> {
    return (await this.posted(channel, key.since, threadTs)).get(key.id);
  }

  async findPosted(
    incident: Incident,
    thread: { channel: string; ts: string } | undefined,
  ): Promise<Notification | undefined> {
    const channel = thread?.channel ?? this.options.channel;
    const ts = await this.lookup(channel, incidentKey(incident), thread?.ts);
    if (!ts) return undefined;
    return thread ? { channel, ts, threadTs: thread.ts } : { channel, ts };
  }

  async notify(incident: Incident): Promise<Notification> {
    const message = incidentMessage(incident);
    try {
      return await this.post(
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
      const posted = await this.post(
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
      const earlier = attempt > 1 ? await this.lookup(channel, summaryKey, thread?.ts) : undefined;
      const parent = earlier
        ? { channel, ts: earlier }
        : await this.post(
            {
              channel,
              text: message.text,
              blocks: [...message.blocks],
              ...(thread ? { thread_ts: thread.ts, reply_broadcast: true } : {}),
            },
            summaryKey,
          );
      const threadTs = thread?.ts ?? parent.ts;
      const landed = earlier ? await this.posted(channel, since, threadTs) : new Map<string, string>();
      for (const [i, diagnosis] of summary.groups.entries()) {
        const key = { id: `storm:${stormId}:${i}`, since };
        if (landed.has(key.id)) continue;
        const detail = stormGroupMessage(diagnosis);
        await this.post(
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
        await this.paced(parent.channel, () =>
          this.client.chat.update({
            channel: parent.channel,
            ts: parent.ts,
            text: update.text,
            blocks: [...update.blocks] as never,
          }),
        );
      }
      const postKey = key ? { id: key.id, since: Number(threadTs.split('.')[0] ?? 0) } : undefined;
      if (postKey && key && key.attempt > 1 && (await this.lookup(parent.channel, postKey, threadTs))) return;
      await this.post({ channel: parent.channel, thread_ts: threadTs, text: reply }, postKey);
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
      await this.client.chat.update({
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
      await this.post({ channel: parent.channel, thread_ts: parent.ts, text });
    } catch (error) {
      throw slackError(error, `reply in thread ${parent.ts}`);
    }
  }
}

/** What an incident's message is found by: its id, posted no earlier than a minute before it was created. */
function incidentKey(incident: Incident): PostKey {
  return { id: incident.id, since: Math.floor(Date.parse(incident.createdAt) / 1000) - 60 };
}
