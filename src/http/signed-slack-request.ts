// One gate for every request Slack signs (slash commands, button presses): body limit, v0 signature, replay.
import type { Context } from 'hono';
import { type ReplayGuard, replayKey } from '../commands/replay-guard.js';
import {
  MAX_SKEW_SECONDS,
  type SignatureRejection,
  verifySlackSignature,
} from '../commands/verify-signature.js';
import type { Logger } from '../log.js';
import { HttpError } from './errors.js';
import { readLimited } from './json-body.js';

const REJECTIONS: Record<Exclude<SignatureRejection, 'no_secret'>, string> = {
  missing_headers: 'X-Slack-Signature and X-Slack-Request-Timestamp are required',
  malformed_timestamp: 'X-Slack-Request-Timestamp is not a Unix time in seconds',
  malformed_signature: 'X-Slack-Signature is not a v0 signature',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes from now',
  signature_mismatch: 'X-Slack-Signature does not match the request',
};

export interface SignedRequestGate {
  readonly signingSecret: string | undefined;
  readonly replays: ReplayGuard;
  readonly limit: number;
  readonly now: () => Date;
  readonly log: Logger;
  /** What the request is, for refusals and logs: "slash commands", "interactions". */
  readonly what: string;
}

/**
 * The raw body of a request Slack signed, read once and verified before anything parses (and re-encodes) it,
 * counted while read whatever Content-Length claims; throws the JSON 4xx for each refusal. A valid signature
 * stays valid for its whole window, so the same request twice is refused the second time.
 */
export async function signedSlackBody(c: Context, gate: SignedRequestGate): Promise<Uint8Array> {
  if (!gate.signingSecret)
    throw new HttpError(
      401,
      'slack_not_configured',
      `SLACK_SIGNING_SECRET is not configured, so ${gate.what} are refused`,
    );
  const raw = await readLimited(c.req.raw, gate.limit);
  if (!raw) throw new HttpError(413, 'payload_too_large', `body exceeds ${gate.limit} bytes`);
  const check = verifySlackSignature({
    secret: gate.signingSecret,
    headers: c.req.raw.headers,
    rawBody: raw,
    now: gate.now(),
  });
  if (!check.ok) {
    gate.log.warn(`slack ${gate.what} refused`, { reason: check.reason });
    const reason = check.reason === 'no_secret' ? 'missing_headers' : check.reason;
    throw new HttpError(401, 'invalid_signature', REJECTIONS[reason]);
  }
  const timestamp = c.req.header('x-slack-request-timestamp') ?? '';
  const key = replayKey(timestamp, c.req.header('x-slack-signature') ?? '');
  const until = new Date((Number(timestamp) + MAX_SKEW_SECONDS + 60) * 1000);
  if (!(await gate.replays.firstUse(key, until))) {
    gate.log.warn(`slack ${gate.what} refused`, { reason: 'replayed' });
    throw new HttpError(401, 'replayed_request', 'this signed request was already received');
  }
  return raw;
}
