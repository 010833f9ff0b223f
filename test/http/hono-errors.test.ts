// Errors raised by hono's own middleware get the service's JSON error shape and status, not a 500.
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../src/http/errors.js';
import { memoryLogger } from '../support/memory-logger.js';

function appWith(register: (app: Hono) => void) {
  const { log, lines } = memoryLogger();
  const app = new Hono();
  app.onError((error, c) => toErrorResponse(error, c, log));
  register(app);
  return { app, lines };
}

describe('toErrorResponse with hono HTTPExceptions', () => {
  it("answers hono's bearerAuth refusal 401 with the JSON error shape and keeps its WWW-Authenticate", async () => {
    const { app } = appWith((a) => a.get('/x', bearerAuth({ token: 'a-token' }), (c) => c.text('ok')));
    const response = await app.request('/x');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  it('keeps the status and message of any 4xx HTTPException, and logs no unhandled error', async () => {
    const { app, lines } = appWith((a) =>
      a.get('/x', () => {
        throw new HTTPException(413, { message: 'too big for this route' });
      }),
    );
    const response = await app.request('/x');
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: 'payload_too_large', message: 'too big for this route' },
    });
    expect(lines.filter((l) => l.includes('unhandled'))).toEqual([]);
  });
});
