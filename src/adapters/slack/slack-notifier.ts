// Notifier over @slack/web-api: one parent message per incident, resolve as an in-place update plus a thread reply.
import { WebClient } from '@slack/web-api';
import type { Incident, Notification } from '../../domain/incident.js';
import type { StormSummary } from '../../domain/storm.js';
import { DependencyError, type Notifier } from '../../ports.js';
import { incidentMessage, resolvedReply } from './message.js';
import { stormGroupMessage, stormResolvedReply, stormSummaryMessage } from './storm-message.js';

export interface SlackNotifierOptions {
  readonly token: string;
  readonly channel: string;
  readonly apiUrl?: string | undefined;
  /** Retries of 5xx/network failures; 429 Retry-After is honoured by the client on top. */
  readonly retries?: number;
  readonly timeoutMs?: number;
  /** Minimum gap between posts to one channel (tests shorten it). */
  readonly postIntervalMs?: number;
}

export function slackClient(options: SlackNotifierOptions): WebClient {
  return new WebClient(options.token, {
    ...(options.apiUrl
      ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` }
      : {}),
    // The default retries for about half an hour; a bounded budget keeps the worker inside its timeout.
    retryConfig: {
      retries: options.retries ?? 3,
      factor: 2,
      minTimeout: 500,
      maxTimeout: 4000,
      randomize: true,
    },
    rejectRateLimitedCalls: false,
    timeout: options.timeoutMs ?? 10_000,
  });
}

function slackError(error: unknown, what: string): DependencyError {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  const code = e.data?.error ?? e.code ?? 'error';
  return new DependencyError('slack', code, `${what}: ${code}`, { cause: error });
}

/** Slack keeps about one message per second per channel; posts from this process are spaced accordingly. */
const POST_INTERVAL_MS = 1000;

export class SlackNotifier implements Notifier {
  private readonly client: WebClient;
  private lastPost = new Map<string, Promise<number>>();

  constructor(private readonly options: SlackNotifierOptions) {
    this.client = slackClient(options);
  }

  /** Serialises posts per channel and keeps them POST_INTERVAL_MS apart. */
  private paced<T>(channel: string, post: () => Promise<T>): Promise<T> {
    const previous = this.lastPost.get(channel) ?? Promise.resolve(0);
    const result = previous.then(async (lastAt) => {
      const wait = lastAt + (this.options.postIntervalMs ?? POST_INTERVAL_MS) - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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

  private async post(
    args: Record<string, unknown> & { channel: string; text: string },
  ): Promise<{ channel: string; ts: string }> {
    const answer = await this.paced(args.channel, () =>
      this.client.chat.postMessage({ unfurl_links: false, unfurl_media: false, ...args } as never),
    );
    return { channel: String(answer.channel ?? args.channel), ts: String(answer.ts) };
  }

  async notify(incident: Incident): Promise<Notification> {
    const message = incidentMessage(incident);
    try {
      return await this.post({
        channel: this.options.channel,
        text: message.text,
        blocks: [...message.blocks],
      });
    } catch (error) {
      throw slackError(error, `post incident ${incident.id}`);
    }
  }

  async reply(
    incident: Incident,
    parent: { channel: string; ts: string },
    broadcast: boolean,
  ): Promise<Notification> {
    const note = broadcast
      ? 'Fired again soon after it resolved: continuing in this thread.'
      : 'Same node-wide cause as this thread: another affected pod.';
    const message = incidentMessage(incident, note);
    try {
      const posted = await this.post({
        channel: parent.channel,
        thread_ts: parent.ts,
        reply_broadcast: broadcast,
        text: message.text,
        blocks: [...message.blocks],
      });
      return { ...posted, threadTs: parent.ts };
    } catch (error) {
      throw slackError(error, `reply for incident ${incident.id}`);
    }
  }

  async storm(
    summary: StormSummary,
    group: string,
    thread: { channel: string; ts: string } | undefined,
  ): Promise<Notification> {
    const message = stormSummaryMessage(summary, group);
    try {
      const parent = await this.post({
        channel: thread?.channel ?? this.options.channel,
        text: message.text,
        blocks: [...message.blocks],
        ...(thread ? { thread_ts: thread.ts, reply_broadcast: true } : {}),
      });
      const threadTs = thread?.ts ?? parent.ts;
      for (const diagnosis of summary.groups) {
        const detail = stormGroupMessage(diagnosis);
        await this.post({
          channel: parent.channel,
          thread_ts: threadTs,
          text: detail.text,
          blocks: [...detail.blocks],
        });
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
  ): Promise<void> {
    try {
      // A summary of its own is updated in place; one posted into an earlier storm's thread is left alone.
      if (!parent.threadTs || parent.threadTs === parent.ts) {
        const message = stormSummaryMessage(summary, group, { resolvedAt: lastAt });
        await this.paced(parent.channel, () =>
          this.client.chat.update({
            channel: parent.channel,
            ts: parent.ts,
            text: message.text,
            blocks: [...message.blocks] as never,
          }),
        );
      }
      await this.post({
        channel: parent.channel,
        thread_ts: parent.threadTs ?? parent.ts,
        text: stormResolvedReply(summary.total, lastAt),
      });
    } catch (error) {
      throw slackError(error, `resolve storm ${parent.ts}`);
    }
  }

  async resolved(incident: Incident): Promise<void> {
    const own = incident.notifications[0];
    if (!own) return;
    try {
      // A parent of its own is updated in place (status, duration); a reply in someone else's thread is left alone.
      if (!own.threadTs) {
        const message = incidentMessage(incident);
        await this.paced(own.channel, () =>
          this.client.chat.update({
            channel: own.channel,
            ts: own.ts,
            text: message.text,
            blocks: [...message.blocks] as never,
          }),
        );
      }
      await this.post({
        channel: own.channel,
        thread_ts: own.threadTs ?? own.ts,
        text: resolvedReply(incident),
      });
    } catch (error) {
      throw slackError(error, `resolve incident ${incident.id}`);
    }
  }
}
