// HTTP contract: bad input gets the right 4xx JSON error, every non-health route wants its token, the history API pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { alert, context } from '../support/contexts.js';
import {
  API_TOKEN,
  getJson,
  type Harness,
  postWebhook,
  startHarness,
  WEBHOOK_TOKEN,
} from '../support/harness.js';
import { incidentOf } from '../support/incidents.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const webhook = loadScenarios().find((s) => s.id === 'oom-checkout-api')!.webhook;

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(0);
  return { status: response.status, code: body.error.code };
}

describe('POST /alertmanager rejects bad input clearly and queues nothing', () => {
  it.each([
    ['malformed JSON', '{"version": "4", ', 'invalid_json'],
    ['an array', '[]', 'invalid_payload'],
    ['wrong types', JSON.stringify({ ...webhook, truncatedAlerts: 'none' }), 'invalid_payload'],
    ['a missing field', JSON.stringify({ ...webhook, groupKey: undefined }), 'invalid_payload'],
    ['another version', JSON.stringify({ ...webhook, version: '3' }), 'invalid_payload'],
    ['no alerts', JSON.stringify({ ...webhook, alerts: [] }), 'invalid_payload'],
  ])('400 for %s', async (_, body, code) => {
    expect(await errorOf(await postWebhook(h, body))).toEqual({ status: 400, code });
  });

  it('401 without or with a wrong token', async () => {
    const none = await h.app.request('/alertmanager', { method: 'POST', body: JSON.stringify(webhook) });
    expect(await errorOf(none)).toEqual({ status: 401, code: 'unauthorized' });
    expect(await errorOf(await postWebhook(h, webhook, `${WEBHOOK_TOKEN}x`))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
    expect(await errorOf(await postWebhook(h, webhook, API_TOKEN))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('413 over 1 MiB', async () => {
    const big = JSON.stringify({ ...webhook, commonAnnotations: { description: 'x'.repeat(1024 * 1024) } });
    expect(await errorOf(await postWebhook(h, big))).toEqual({ status: 413, code: 'payload_too_large' });
  });

  it('queued nothing for any rejected request', async () => {
    await h.queue.idle();
    expect(await h.store.list({ limit: 10 })).toEqual({ items: [], nextCursor: null });
    expect(h.slack.calls).toEqual([]);
  });

  it('503 when the queue does not take the alerts, so Alertmanager retries', async () => {
    const { createApp } = await import('../../src/http/app.js');
    const app = createApp({
      webhookToken: undefined,
      apiToken: undefined,
      queue: { enqueue: async () => Promise.reject(new Error('queue down')) },
      store: h.store,
      playbooks: { entries: async () => [], put: async () => {}, remove: async () => false },
      builtIns: [],
      log: (await import('../support/memory-logger.js')).memoryLogger().log,
    });
    const response = await app.request('/alertmanager', { method: 'POST', body: JSON.stringify(webhook) });
    expect(await errorOf(response)).toEqual({ status: 503, code: 'queue_unavailable' });
  });
});

describe('incident history API', () => {
  beforeAll(async () => {
    // 25 incidents across two namespaces, one minute apart.
    for (let i = 0; i < 25; i += 1) {
      const startsAt = new Date(Date.UTC(2026, 10, 23, 8, i)).toISOString();
      const a = {
        ...alert({ namespace: i % 2 ? 'shop' : 'payments' }),
        startsAt,
        fingerprint: `f${String(i).padStart(15, '0')}`,
      };
      const ctx = context({ target: { kind: 'pod', namespace: a.labels.namespace!, pod: `p-${i}` } });
      await h.store.create(incidentOf(a, ctx, [], startsAt, startsAt));
    }
  });

  it('401 without the API token, and the webhook token does not open it', async () => {
    expect((await h.app.request('/incidents')).status).toBe(401);
    expect((await getJson(h, '/incidents', WEBHOOK_TOKEN)).status).toBe(401);
    expect((await getJson(h, '/incidents/anything', 'nope')).status).toBe(401);
  });

  it('pages newest first through every incident with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await getJson(
        h,
        `/incidents?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      const page = (await response.json()) as { items: { startsAt: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.startsAt));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('filters by namespace and status', async () => {
    const page = (await (await getJson(h, '/incidents?namespace=shop&status=firing&limit=100')).json()) as {
      items: { target: { namespace: string } }[];
    };
    expect(page.items).toHaveLength(12);
    expect(page.items.every((i) => i.target.namespace === 'shop')).toBe(true);
  });

  it('refuses a cursor that was tampered with or belongs to another query', async () => {
    const first = (await (await getJson(h, '/incidents?limit=5')).json()) as { nextCursor: string };
    const tampered = `${first.nextCursor.slice(0, -2)}xx`;
    expect(await errorOf(await getJson(h, `/incidents?limit=5&cursor=${tampered}`))).toEqual({
      status: 400,
      code: 'invalid_cursor',
    });
    expect(
      await errorOf(await getJson(h, `/incidents?limit=5&namespace=shop&cursor=${first.nextCursor}`)),
    ).toEqual({
      status: 400,
      code: 'invalid_cursor',
    });
  });

  it.each([
    'limit=0',
    'limit=101',
    'status=open',
    'since=yesterday',
    'colour=red',
  ])('400 for a bad filter: %s', async (q) => {
    expect(await errorOf(await getJson(h, `/incidents?${q}`))).toEqual({
      status: 400,
      code: 'invalid_query',
    });
  });

  it('404 for an unknown incident', async () => {
    expect(await errorOf(await getJson(h, '/incidents/nope-123'))).toEqual({
      status: 404,
      code: 'not_found',
    });
  });

  it('healthz needs no token', async () => {
    const response = await h.app.request('/healthz');
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('GET /openapi.json', () => {
  it('describes every route, with request schemas generated from the validators, behind the API token', async () => {
    expect((await h.app.request('/openapi.json')).status).toBe(401);
    const doc = (await (await getJson(h, '/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: {
        schemas: { Webhook: { properties: Record<string, unknown> }; Signature: { required: string[] } };
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/alertmanager',
        '/incidents',
        '/incidents/{id}',
        '/playbooks/{id}',
        '/slack/commands',
      ]),
    );
    expect(doc.components.schemas.Webhook.properties.version).toEqual({ type: 'string', const: '4' });
    expect(doc.components.schemas.Signature.required).toEqual(
      expect.arrayContaining(['id', 'targets', 'confidence']),
    );
  });
});
