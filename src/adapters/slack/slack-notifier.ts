// Notifier over @slack/web-api: one parent message per incident, resolve as an in-place update plus a thread reply.
import { WebClient } from '@slack/web-api';
import type { Incident, Notification } from '../../domain/incident.js';
import { DependencyError, type Notifier } from '../../ports.js';
import { incidentMessage, resolvedReply } from './message.js';

export interface SlackNotifierOptions {
  readonly token: string;
  readonly channel: string;
  readonly apiUrl?: string | undefined;
  /** Retries of 5xx/network failures; 429 Retry-After is honoured by the client on top. */
  readonly retries?: number;
  readonly timeoutMs?: number;
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

export class SlackNotifier implements Notifier {
  private readonly client: WebClient;

  constructor(private readonly options: SlackNotifierOptions) {
    this.client = slackClient(options);
  }

  async notify(incident: Incident): Promise<Notification> {
    const message = incidentMessage(incident);
    try {
      const answer = await this.client.chat.postMessage({
        channel: this.options.channel,
        text: message.text,
        blocks: [...message.blocks] as never,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { channel: String(answer.channel ?? this.options.channel), ts: String(answer.ts) };
    } catch (error) {
      throw slackError(error, `post incident ${incident.id}`);
    }
  }

  async resolved(incident: Incident): Promise<void> {
    const parent = incident.notifications[0];
    if (!parent) return;
    const message = incidentMessage(incident);
    try {
      await this.client.chat.update({
        channel: parent.channel,
        ts: parent.ts,
        text: message.text,
        blocks: [...message.blocks] as never,
      });
      await this.client.chat.postMessage({
        channel: parent.channel,
        thread_ts: parent.ts,
        text: resolvedReply(incident),
      });
    } catch (error) {
      throw slackError(error, `resolve incident ${incident.id}`);
    }
  }
}
