// Builds button presses the way Slack sends them: `payload=<JSON>` form-encoded and signed with the v0 scheme.
import { readFileSync } from 'node:fs';
import { expectedSignature } from '../../src/commands/verify-signature.js';
import { type Harness, SIGNING_SECRET } from './harness.js';

const BASE = JSON.parse(
  readFileSync(new URL('../fixtures/slack/block-actions-button.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

export interface Press {
  readonly actionId: string;
  /** The button's value (an incident or storm id). */
  readonly value?: string;
  readonly blockId?: string;
  readonly selected?: string;
  readonly responseUrl: string;
  readonly user?: string;
  readonly team?: string;
  readonly channel?: string;
  readonly messageTs?: string;
  /** Unix seconds; now by default. */
  readonly timestamp?: number;
  readonly secret?: string;
}

export interface SignedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export function payloadOf(press: Press): Record<string, unknown> {
  const user = press.user ?? 'U0ONCALL01';
  const team = press.team ?? 'T0EXAMPLE1';
  const channel = press.channel ?? 'C0ALERTS01';
  const ts = press.messageTs ?? '1795423262.000200';
  return {
    ...BASE,
    user: { id: user, username: 'oncall.jane', name: 'oncall.jane', team_id: team },
    team: { id: team, domain: 'example-ops' },
    channel: { id: channel, name: 'k8s-alerts' },
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    response_url: press.responseUrl,
    actions: [
      {
        action_id: press.actionId,
        block_id: press.blockId ?? `triage_actions:${press.value ?? ''}`,
        type: press.selected ? 'static_select' : 'button',
        ...(press.value !== undefined ? { value: press.value } : {}),
        ...(press.selected
          ? { selected_option: { value: press.selected, text: { type: 'plain_text', text: press.selected } } }
          : {}),
        action_ts: '1795423270.123456',
      },
    ],
  };
}

export function signed(body: string, options: { timestamp?: number; secret?: string } = {}): SignedRequest {
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

export function pressRequest(press: Press): SignedRequest {
  const body = new URLSearchParams({ payload: JSON.stringify(payloadOf(press)) }).toString();
  return signed(body, {
    ...(press.timestamp !== undefined ? { timestamp: press.timestamp } : {}),
    ...(press.secret ? { secret: press.secret } : {}),
  });
}

export function sendInteraction(h: Pick<Harness, 'app'>, request: SignedRequest): Promise<Response> {
  return Promise.resolve(
    h.app.request('/slack/interactions', { method: 'POST', headers: request.headers, body: request.body }),
  );
}

/** Presses a button; answers go to the Slack stand-in under `id`. */
export function press(h: Harness, press: Omit<Press, 'responseUrl'>, id: string): Promise<Response> {
  return sendInteraction(h, pressRequest({ ...press, responseUrl: h.slack.responseUrl(id) }));
}
