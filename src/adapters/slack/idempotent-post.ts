// Slack has no idempotency key. A post whose answer was lost (timeout, 5xx, a worker that died) may have landed,
// so a retry first looks for it: every incident message carries its incident id as message metadata.
import type { WebClient } from '@slack/web-api';

export const METADATA_EVENT = 'alert_triage_incident';

export interface PostKey {
  /** The incident id (or storm id) the message is for. */
  readonly id: string;
  /** Posted at or after this time (Unix seconds): where the search starts. */
  readonly since: number;
}

export function metadataFor(key: PostKey): Record<string, unknown> {
  return { event_type: METADATA_EVENT, event_payload: { incident_id: key.id } };
}

interface Listed {
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly metadata?: { event_type?: string; event_payload?: { incident_id?: unknown } };
}

const PAGES = 5;

/**
 * This app's keyed messages in `channel` (at the top level from `since`, or in the thread `threadTs`): key id to
 * ts. Reads conversations.history or conversations.replies (scopes channels:history, groups:history).
 */
export async function postedIds(
  client: WebClient,
  channel: string,
  since: number,
  threadTs: string | undefined,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page += 1) {
    const args = { channel, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const answer = threadTs
      ? await client.conversations.replies({ ...args, ts: threadTs })
      : await client.conversations.history({ ...args, oldest: String(since) });
    for (const m of (answer.messages ?? []) as Listed[]) {
      const id = m.metadata?.event_payload?.incident_id;
      if (m.metadata?.event_type === METADATA_EVENT && typeof id === 'string' && m.ts) found.set(id, m.ts);
    }
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return found;
}

export type PostFailure = 'rate-limited' | 'maybe-posted' | 'refused';

/** How a failed chat.postMessage ended: throttled (not posted), unknown (maybe posted), or refused by Slack. */
export function classify(error: unknown): { kind: PostFailure; retryAfterSec?: number } {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number };
  if (e.code === 'slack_webapi_rate_limited_error')
    return { kind: 'rate-limited', retryAfterSec: e.retryAfter ?? 1 };
  // An `ok: false` answer: Slack read the request and refused it (invalid_blocks, channel_not_found, …).
  if (e.code === 'slack_webapi_platform_error') return { kind: 'refused' };
  if (e.code === 'slack_webapi_http_error' && (e.statusCode ?? 500) < 500) return { kind: 'refused' };
  // Timeouts, resets and 5xx: the request may or may not have been applied.
  return { kind: 'maybe-posted' };
}
