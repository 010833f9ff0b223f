// Posting to Slack for the notifier: the two Web API clients, per-channel pacing, bounded retries that look for an
// earlier post before posting again, and the mapping of Slack failures to DependencyError.
import { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.js';
import { DependencyError } from '../../ports.js';
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

function slackClient(options: SlackNotifierOptions): WebClient {
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

export function slackError(error: unknown, what: string): DependencyError {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  const code = e.data?.error ?? e.code ?? 'error';
  return new DependencyError('slack', code, `${what}: ${code}`, { cause: error });
}

/** Slack keeps about one message per second per channel; posts from this process are spaced accordingly. */
const POST_INTERVAL_MS = 1000;

/** Posts and updates, paced per channel; what a post is keyed by makes its retry find it instead of repeating it. */
export class SlackPoster {
  readonly client: WebClient;
  private readonly poster: WebClient;
  private lastPost = new Map<string, Promise<number>>();

  constructor(private readonly options: SlackNotifierOptions) {
    this.client = slackClient(options);
    this.poster = posterClient(options);
  }

  /** Serialises posts per channel and keeps them POST_INTERVAL_MS apart. */
  paced<T>(channel: string, post: () => Promise<T>): Promise<T> {
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
  async post(
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
  async posted(channel: string, since: number, threadTs: string | undefined): Promise<Map<string, string>> {
    try {
      return await postedIds(this.client, channel, since, threadTs);
    } catch (error) {
      this.options.log?.warn('could not look for an earlier Slack post; posting again may duplicate it', {
        error: slackError(error, 'conversations read').code,
      });
      return new Map();
    }
  }

  async lookup(channel: string, key: PostKey, threadTs: string | undefined): Promise<string | undefined> {
    return (await this.posted(channel, key.since, threadTs)).get(key.id);
  }
}
