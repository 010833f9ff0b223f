// Every authenticated route against every kind of bad credential: 401 JSON each time, and the right token gets in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeEqual } from '../../src/http/auth.js';
import { runs } from '../support/fuzz.js';
import { API_TOKEN, minimalApp, WEBHOOK_TOKEN } from '../support/minimal-app.js';

const { app, queue, playbooks } = minimalApp();

const webhook = JSON.stringify({
  version: '4',
  groupKey: '{}:{}',
  status: 'firing',
  receiver: 'alert-triage',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: '',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'KubePodCrashLooping' },
      startsAt: '2026-11-23T08:23:36Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: 'b709ea564d7a1c55',
    },
  ],
});
const signature = JSON.stringify({
  id: 'auth-matrix-check',
  title: 'Auth matrix',
  targets: ['pod'],
  all: [{ fact: 'alert.name', op: 'exists' }],
  confidence: 'low',
  specificity: 1,
  summary: 's',
  remediation: ['r'],
});

interface Route {
  readonly method: string;
  readonly path: string;
  readonly token: string;
  readonly body?: string;
  /** What the right token gets (the route's own answer, not 401). */
  readonly allowed: number;
}

const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/alertmanager', token: WEBHOOK_TOKEN, body: webhook, allowed: 200 },
  { method: 'GET', path: '/incidents', token: API_TOKEN, allowed: 200 },
  { method: 'GET', path: '/incidents/b709ea564d7a1c55-20261123T082336000Z', token: API_TOKEN, allowed: 404 },
  { method: 'GET', path: '/playbooks', token: API_TOKEN, allowed: 200 },
  { method: 'GET', path: '/playbooks/container-oom-killed', token: API_TOKEN, allowed: 200 },
  { method: 'PUT', path: '/playbooks/auth-matrix-check', token: API_TOKEN, body: signature, allowed: 200 },
  { method: 'DELETE', path: '/playbooks/auth-matrix-check', token: API_TOKEN, allowed: 200 },
  { method: 'GET', path: '/openapi.json', token: API_TOKEN, allowed: 200 },
];

const otherToken = (r: Route) => (r.token === WEBHOOK_TOKEN ? API_TOKEN : WEBHOOK_TOKEN);

/** Authorization headers that must not open a route; undefined sends none. */
const BAD: readonly [string, (r: Route) => string | undefined][] = [
  ['no Authorization header', () => undefined],
  ['a wrong token', () => 'Bearer not-the-token'],
  ['the token with one character more', (r) => `Bearer ${r.token}x`],
  ['the token with its last character missing', (r) => `Bearer ${r.token.slice(0, -1)}`],
  ['the token in another case', (r) => `Bearer ${r.token.toUpperCase()}`],
  ['the Basic scheme with the token as password', (r) => `Basic ${btoa(`alertmanager:${r.token}`)}`],
  ['the Basic scheme with the bare token', (r) => `Basic ${r.token}`],
  ['the token without a scheme', (r) => r.token],
  ['an empty bearer', () => 'Bearer '],
  ['a bare "Bearer"', () => 'Bearer'],
  ['an empty header', () => ''],
  ["the other route's token", (r) => `Bearer ${otherToken(r)}`],
  ['the token twice', (r) => `Bearer ${r.token}, Bearer ${r.token}`],
  ['a 64 KiB token', () => `Bearer ${'a'.repeat(64 * 1024)}`],
  ['a long token that starts with the right one', (r) => `Bearer ${r.token}${'a'.repeat(10_000)}`],
];

async function send(route: Route, authorization: string | undefined, body = route.body) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await app.request(route.path, {
    method: route.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return { response, json: (await response.json()) as { error?: { code: string; message: string } } };
}

describe('authentication matrix', () => {
  for (const route of ROUTES) {
    describe(`${route.method} ${route.path}`, () => {
      it.each(BAD)('refuses %s with 401 JSON, and changes nothing', async (_, header) => {
        const [queued, stored] = [queue.count, playbooks.items.size];
        const { response, json } = await send(route, header(route));
        expect(response.status).toBe(401);
        expect(json).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
        expect([queue.count, playbooks.items.size]).toEqual([queued, stored]);
      });

      it('accepts the right token, with any case of the scheme and surrounding spaces', async () => {
        for (const header of [
          `Bearer ${route.token}`,
          `bearer ${route.token}`,
          `  BEARER   ${route.token}  `,
        ]) {
          if (route.method === 'DELETE')
            expect(
              (await send({ ...ROUTES[5]!, method: 'PUT' }, `Bearer ${API_TOKEN}`)).response.status,
            ).toBe(200);
          expect((await send(route, header)).response.status).toBe(route.allowed);
        }
      });
    });
  }

  it('refuses an unauthenticated 2 MiB body with 401 before reading it (not 413)', async () => {
    const { response } = await send(ROUTES[0]!, undefined, 'x'.repeat(2 * 1024 * 1024));
    expect(response.status).toBe(401);
  });

  it('serves /healthz without a token', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('no path spelling reaches a protected route without a token', async () => {
    const prefixes = ['/incidents', '/playbooks', '/alertmanager', '/openapi.json'];
    const suffix = fc.constantFrom(
      '',
      '/',
      '//',
      '/x',
      '/x/',
      '/%2e%2e',
      '/..%2f',
      '/container-oom-killed',
      '?limit=1',
      '/./',
      '%00',
      ';x',
    );
    const prefix = fc.constantFrom(
      ...prefixes,
      ...prefixes.map((p) => `/${p}`),
      ...prefixes.map((p) => p.toUpperCase()),
    );
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
    await fc.assert(
      fc.asyncProperty(prefix, suffix, method, async (p, s, m) => {
        const response = await app.request(`${p}${s}`, { method: m });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: runs(400) },
    );
  });
});

describe('safeEqual', () => {
  it('compares digests, so inputs of different lengths give false instead of throwing', () => {
    expect(safeEqual('a', 'ab')).toBe(false);
    expect(safeEqual('', 'x'.repeat(100_000))).toBe(false);
    expect(safeEqual(API_TOKEN, API_TOKEN)).toBe(true);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('é', 'e\u0301')).toBe(false);
  });

  it('tells apart strings that UTF-8 would encode alike (lone surrogates all become U+FFFD)', () => {
    expect(safeEqual('\ud800', '\ud801')).toBe(false);
    expect(safeEqual('token\ud800', 'token\ufffd')).toBe(false);
  });

  it('agrees with === on any pair of strings', () => {
    const unit = fc.constantFrom('a', 'b', '\ud800', '\udc00', '\ufffd', 'é');
    const str = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit, maxLength: 4 }));
    fc.assert(
      fc.property(str, str, (a, b) => {
        expect(safeEqual(a, b)).toBe(a === b);
        expect(safeEqual(a, a)).toBe(true);
      }),
      { numRuns: runs(1_000) },
    );
  });
});
