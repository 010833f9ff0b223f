// Bearer-token middleware with a constant-time compare; no token configured means auth is off (local loopback only).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './errors.js';

/**
 * Hashing both sides first gives equal-length buffers, so the compare leaks neither content nor length. The
 * strings are hashed as UTF-16 code units: as UTF-8, every lone surrogate would become U+FFFD and compare equal.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(Buffer.from(a, 'utf16le')).digest();
  const hb = createHash('sha256').update(Buffer.from(b, 'utf16le')).digest();
  return timingSafeEqual(ha, hb);
}

/** `token` undefined turns auth off; `alsoAccepted` is a second token honoured when `token` is set. */
export function bearerAuth(
  token: string | undefined,
  realm: string,
  alsoAccepted?: string | undefined,
): MiddlewareHandler {
  return async (c, next) => {
    if (token !== undefined) {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header.trim());
      const given = match?.[1];
      // Both compared every time, so the answer's timing does not say which token was close.
      const first = given !== undefined && safeEqual(given, token);
      const second = given !== undefined && alsoAccepted !== undefined && safeEqual(given, alsoAccepted);
      if (!first && !second) {
        c.header('WWW-Authenticate', `Bearer realm="${realm}"`);
        throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token');
      }
    }
    await next();
  };
}
