// Builds slash-command requests the way Slack sends them: a form body signed with the v0 scheme.
import { expectedSignature } from '../../src/commands/verify-signature.js';
import { type Harness, SIGNING_SECRET } from './harness.js';

export interface CommandRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export interface CommandOptions {
  readonly responseUrl?: string;
  readonly secret?: string;
  /** Unix seconds; defaults to now. */
  readonly timestamp?: number;
  readonly fields?: Record<string, string>;
}

export function slashCommand(
  text: string,
  options: CommandOptions & { responseUrl: string },
): CommandRequest {
  // URLSearchParams encodes like Slack: `/` as %2F, spaces as +.
  const body = new URLSearchParams({
    token: 'deprecatedVerificationTokenXyz0',
    team_id: 'T0EXAMPLE1',
    team_domain: 'example-ops',
    channel_id: 'C0ALERTS01',
    channel_name: 'k8s-alerts',
    user_id: 'U0ONCALL01',
    user_name: 'oncall.jane',
    command: '/triage',
    text,
    api_app_id: 'A0TRIAGE01',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: '8123456789012.1234567890123.0123456789abcdef0123456789abcdef',
    ...options.fields,
  }).toString();
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': expectedSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
    },
  };
}

export function send(h: Harness, request: CommandRequest): Promise<Response> {
  return Promise.resolve(
    h.app.request('/slack/commands', { method: 'POST', headers: request.headers, body: request.body }),
  );
}

/** Sends a signed command whose answer goes to the Slack stand-in under `id`. */
export function postCommand(
  h: Harness,
  text: string,
  id: string,
  options: CommandOptions = {},
): Promise<Response> {
  return send(h, slashCommand(text, { responseUrl: h.slack.responseUrl(id), ...options }));
}

/** The answer posted to response_url `id`, once the queue has run the command. */
export async function answerTo(
  h: Harness,
  id: string,
): Promise<{ text: string; blocks: string; body: Record<string, unknown> }> {
  await h.queue.idle();
  const found = h.slack.responses.filter((r) => r.id === id);
  if (found.length !== 1) throw new Error(`expected one answer for ${id}, got ${found.length}`);
  const body = found[0]!.body;
  return { text: String(body.text), blocks: JSON.stringify(body.blocks), body };
}
