// Property tests of POST /alertmanager: 10,000 generated bodies never get a 5xx, and the answer matches what was queued.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../support/fuzz.js';
import { minimalApp, WEBHOOK_TOKEN } from '../support/minimal-app.js';

const { app, queue, logs } = minimalApp();
let refused = 0;

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly queued: number;
}

async function post(
  body: NonNullable<RequestInit['body']>,
  contentType = 'application/json',
): Promise<Answer> {
  const before = queue.count;
  const response = await app.request('/alertmanager', {
    method: 'POST',
    headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': contentType },
    body,
  });
  const text = await response.text();
  if (response.status !== 200) refused += 1;
  return { status: response.status, body: JSON.parse(text), queued: queue.count - before };
}

/** The route's whole contract, whatever it was sent. */
function checkContract(answer: Answer): void {
  expect(answer.status).toBeLessThan(500);
  if (answer.status === 200) {
    expect(answer.body).toEqual({ accepted: expect.any(Number) });
    const { accepted } = answer.body as { accepted: number };
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(answer.queued).toBe(accepted);
    return;
  }
  expect(answer.status).toBeGreaterThanOrEqual(400);
  const { error } = answer.body as { error: { code: unknown; message: unknown } };
  expect(typeof error.code).toBe('string');
  expect(typeof error.message).toBe('string');
  expect((error.message as string).length).toBeGreaterThan(0);
  expect(answer.queued).toBe(0);
}

// ---- valid payloads ----

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/);
const labelValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('payments', 'checkout-api-7d9f8c6b5-x2x7q', 'ip-10-0-0-1:9100', '10.0.0.1:9100', ''),
);
const labels = fc.dictionary(labelName, labelValue, { maxKeys: 6 });
const timestamp = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());

const alertArb = fc.record({
  status: fc.constantFrom('firing', 'resolved'),
  labels: fc
    .tuple(labels, fc.string({ minLength: 1, maxLength: 20 }))
    .map(([l, name]) => ({ ...l, alertname: name })),
  annotations: labels,
  startsAt: timestamp,
  endsAt: fc.oneof(timestamp, fc.constant('0001-01-01T00:00:00Z')),
  generatorURL: fc.webUrl(),
  fingerprint: fc.stringMatching(/^[0-9a-f]{16}$/),
});

const webhookArb = fc.record({
  version: fc.constant('4'),
  groupKey: fc.string({ maxLength: 60 }),
  truncatedAlerts: fc.nat({ max: 1000 }),
  status: fc.constantFrom('firing', 'resolved'),
  receiver: fc.string({ maxLength: 20 }),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: fc.webUrl(),
  alerts: fc.array(alertArb, { minLength: 1, maxLength: 6 }),
});

// ---- mutations of valid payloads ----

const deepNest = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i += 1) v = i % 2 ? [v] : { a: v };
  return v;
};

// Huge and deep values are rare (weight 1 of 14) so that 10,000 cases stay fast; webhook-edges covers the extremes.
const weirdValue = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
  fc.constantFrom('4', '0', '-1', '1e999', 'NaN', 'true', 'null', '', '\u0000', '\ud800', '{{pod}}'),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
  fc.constantFrom({}, [], [[]], { alertname: 'x' }, JSON.parse('{"__proto__":{"polluted":true}}')),
  fc.constantFrom('x'.repeat(100_000), 'é'.repeat(50_000), '🔥'.repeat(30_000), deepNest(200, 'x')),
);

type Json = Record<string, unknown> | unknown[];

/**
 * Every path to a value inside the payload, breadth first. Iterative, so generated nesting of any depth cannot
 * overflow the stack, and each object is walked once, so a value that reaches itself cannot loop.
 */
function paths(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const seen = new Set<object>();
  const queue: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  for (let i = 0; i < queue.length; i += 1) {
    const { value, path } = queue[i] as { value: unknown; path: (string | number)[] };
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    for (const key of Object.keys(value)) {
      const child = [...path, Array.isArray(value) ? Number(key) : key];
      out.push(child);
      queue.push({ value: (value as Record<string, unknown>)[key], path: child });
    }
  }
  return out;
}

const mutation = fc.oneof(
  weirdValue.map((value) => ({ kind: 'replace' as const, value })),
  fc.constant({ kind: 'delete' as const }),
  fc
    .tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor')), weirdValue)
    .map(([key, value]) => ({ kind: 'extra' as const, key, value })),
);

function mutate(
  payload: Json,
  picks: readonly number[],
  mutations: readonly (typeof mutation extends fc.Arbitrary<infer M> ? M : never)[],
): Json {
  const copy = structuredClone(payload);
  mutations.forEach((m, i) => {
    const all = paths(copy);
    const path = all[(picks[i] ?? 0) % Math.max(all.length, 1)];
    if (!path) return;
    const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], copy) as
      | Record<string | number, unknown>
      | unknown[];
    const key = path[path.length - 1] as string | number;
    if (m.kind === 'replace') (parent as Record<string | number, unknown>)[key] = structuredClone(m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else {
      const target = (parent as Record<string | number, unknown>)[key];
      if (target && typeof target === 'object' && !Array.isArray(target))
        Object.defineProperty(target, m.key, {
          value: structuredClone(m.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
  });
  return copy;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
];

describe('POST /alertmanager under generated input', () => {
  it('accepts every valid payload, whatever its Content-Type, and queues one envelope per alert in order', async () => {
    await fc.assert(
      fc.asyncProperty(webhookArb, fc.constantFrom(...CONTENT_TYPES), async (webhook, type) => {
        const answer = await post(JSON.stringify(webhook), type);
        checkContract(answer);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ accepted: webhook.alerts.length });
        const batch = queue.batches.at(-1)!;
        expect(batch.map((e) => e.alert.fingerprint)).toEqual(webhook.alerts.map((a) => a.fingerprint));
        expect(batch.every((e) => e.groupSize === webhook.alerts.length)).toBe(true);
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('keeps its contract for valid payloads with mutated fields', async () => {
    await fc.assert(
      fc.asyncProperty(
        webhookArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (webhook, picks, mutations) => {
          checkContract(await post(JSON.stringify(mutate(webhook, picks, mutations))));
        },
      ),
      { numRuns: runs(4_000) },
    );
  });

  it('refuses a required field of the wrong type with 400 invalid_payload', async () => {
    const required = ['version', 'groupKey', 'status', 'receiver', 'groupLabels', 'alerts'] as const;
    await fc.assert(
      fc.asyncProperty(
        webhookArb,
        fc.constantFrom(...required),
        fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([[]])),
        async (webhook, field, value) => {
          const answer = await post(JSON.stringify({ ...webhook, [field]: value }));
          checkContract(answer);
          expect(answer.status).toBe(400);
          expect(answer.body).toMatchObject({ error: { code: 'invalid_payload' } });
        },
      ),
      { numRuns: runs(500) },
    );
  });

  it('answers arbitrary JSON with a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        const answer = await post(JSON.stringify(value) ?? 'null');
        checkContract(answer);
        expect(answer.status).toBe(400);
      }),
      { numRuns: runs(1_500) },
    );
  });

  it('answers arbitrary bytes and strings with a 400', async () => {
    const prefix = fc.constantFrom('', '{', '{"version":"4","alerts":[', '[', '\ufeff', '"');
    const tail = fc.oneof(
      fc.uint8Array({ maxLength: 2_000 }),
      fc.string({ unit: 'binary', maxLength: 500 }).map((s) => new TextEncoder().encode(s)),
    );
    await fc.assert(
      fc.asyncProperty(prefix, tail, async (p, bytes) => {
        const head = new TextEncoder().encode(p);
        const body = new Uint8Array(head.length + bytes.length);
        body.set(head);
        body.set(bytes, head.length);
        const answer = await post(body);
        checkContract(answer);
        expect(answer.status).toBe(400);
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('logged each refusal as an error with its reason (Alertmanager drops a 4xx), and no other error', () => {
    const errors = logs.filter((l) => l.includes('"level":"error"'));
    expect(refused).toBeGreaterThan(1000);
    expect(errors).toHaveLength(refused);
    for (const line of errors) {
      expect(line).toContain('webhook refused: Alertmanager will not resend these alerts');
      expect(JSON.parse(line)).toMatchObject({
        code: expect.stringMatching(/^(invalid_json|invalid_payload|payload_too_large)$/),
      });
    }
  });
});
