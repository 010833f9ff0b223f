// Slack's v0 request signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, within a 5-minute window.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window, in seconds, applied in both directions. */
export const MAX_SKEW_SECONDS = 300;

export type SignatureRejection =
  | 'no_secret'
  | 'missing_headers'
  | 'malformed_timestamp'
  | 'malformed_signature'
  | 'stale_timestamp'
  | 'signature_mismatch';

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: SignatureRejection };

export interface SignedRequest {
  /** The app's signing secret, used as a plain string key; undefined refuses every request. */
  readonly secret: string | undefined;
  /** Request headers; names are matched case-insensitively. */
  readonly headers: Headers | Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (still form-encoded), as bytes or as the string they decode to. */
  readonly rawBody: string | Uint8Array;
  readonly now: Date;
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

const reject = (reason: SignatureRejection): SignatureCheck => ({ ok: false, reason });

export function expectedSignature(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export function verifySlackSignature(request: SignedRequest): SignatureCheck {
  if (!request.secret) return reject('no_secret');
  const timestamp = header(request.headers, 'x-slack-request-timestamp');
  const signature = header(request.headers, 'x-slack-signature');
  if (timestamp === undefined || signature === undefined) return reject('missing_headers');
  // Whole seconds only: anything else (signs, decimals, padding, several values joined) is not Slack's.
  if (!/^[0-9]{1,12}$/.test(timestamp)) return reject('malformed_timestamp');
  if (!signature.startsWith('v0=') || signature.length > 128) return reject('malformed_signature');
  const skew = Math.abs(request.now.getTime() / 1000 - Number(timestamp));
  if (!(skew <= MAX_SKEW_SECONDS)) return reject('stale_timestamp');

  // Byte comparison of the whole header: Slack sends lowercase hex, so any other spelling is a mismatch.
  const expected = Buffer.from(expectedSignature(request.secret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return reject('signature_mismatch');
  return { ok: true };
}
