// Reads a JSON request body with its size counted and its UTF-8 checked, whatever the request's headers claim.
import type { Context } from 'hono';
import { HttpError } from './errors.js';

/** Fatal: a byte sequence that is not UTF-8 is refused, not silently replaced with U+FFFD. A BOM is dropped. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * hono's bodyLimit trusts a Content-Length header when one is sent, so a body longer than its header claims (or
 * with an unparsable one) would pass it. This reads the stream itself and stops at `limit` bytes: undefined when
 * the body is longer.
 */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The parsed body; 413 over `limit` bytes, 400 `invalid_json` for bytes that are not UTF-8 JSON. */
export async function readJsonBody(c: Context, limit: number, tooLarge: string): Promise<unknown> {
  const bytes = await readLimited(c.req.raw, limit);
  if (!bytes) throw new HttpError(413, 'payload_too_large', tooLarge);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'body is not valid JSON');
  }
}
