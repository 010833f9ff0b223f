// POST /alertmanager at its edges: the size limit to the byte, hostile nesting and encodings, huge groups, odd headers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../src/adapters/queue/queue-message.js';
import {
  MAX_ALERTS_PER_DELIVERY,
  SAFE_MAX_ALERTS,
  WEBHOOK_BODY_LIMIT,
} from '../../src/http/routes/alertmanager.js';
import { minimalApp, WEBHOOK_TOKEN } from '../support/minimal-app.js';

const { app, queue, logs } = minimalApp();

type Webhook = Record<string, unknown> & {
  alerts: Record<string, unknown>[];
  commonAnnotations: Record<string, string>;
};
const capture = JSON.parse(
  readFileSync(
    new URL('../../events/alertmanager/a-firing-kubepodcrashlooping.json', import.meta.url),
    'utf8',
  ),
) as Webhook;
const firstAlert = capture.alerts[0] as { labels: Record<string, string> };

async function post(body: NonNullable<RequestInit['body']>, headers: Record<string, string> = {}) {
  const before = queue.count;
  const response = await app.request('/alertmanager', {
    method: 'POST',
    headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const json = (await response.json()) as { accepted?: number; error?: { code: string; message: string } };
  return { status: response.status, code: json.error?.code, json, queued: queue.count - before };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The capture with its common annotations padded so that the whole body is exactly `size` bytes. */
function bodyOfSize(size: number): string {
  const empty = JSON.stringify({ ...capture, commonAnnotations: { description: '' } });
  const body = JSON.stringify({
    ...capture,
    commonAnnotations: { description: 'x'.repeat(size - bytes(empty)) },
  });
  expect(bytes(body)).toBe(size);
  return body;
}

describe('the 1 MiB limit', () => {
  it('accepts a body of exactly 1 MiB and refuses one byte more with 413, streamed or with Content-Length', async () => {
    const exact = bodyOfSize(WEBHOOK_BODY_LIMIT);
    const over = bodyOfSize(WEBHOOK_BODY_LIMIT + 1);
    expect(await post(exact)).toMatchObject({ status: 200, queued: 1 });
    expect(await post(over)).toMatchObject({ status: 413, code: 'payload_too_large', queued: 0 });
    expect(await post(exact, { 'content-length': String(WEBHOOK_BODY_LIMIT) })).toMatchObject({
      status: 200,
    });
    expect(await post(over, { 'content-length': String(WEBHOOK_BODY_LIMIT + 1) })).toMatchObject({
      status: 413,
      queued: 0,
    });
  });

  it.each([
    ['understates', '100'],
    ['is not a number', 'abc'],
    ['is negative', '-1'],
  ])('counts the bytes itself when Content-Length %s', async (_, claimed) => {
    const answer = await post(bodyOfSize(2 * WEBHOOK_BODY_LIMIT), { 'content-length': claimed });
    expect(answer).toMatchObject({ status: 413, code: 'payload_too_large', queued: 0 });
  });

  it('accepts a 900 KiB label value, cut to its bound with a marker, and refuses a 1 MiB one', async () => {
    const value = 'v'.repeat(900 * 1024);
    const alert = { ...capture.alerts[0], labels: { ...firstAlert.labels, huge: value } };
    const answer = await post(JSON.stringify({ ...capture, alerts: [alert] }));
    expect(answer).toMatchObject({ status: 200, queued: 1 });
    const queued = queue.batches.at(-1)?.[0];
    expect(queued?.alert.labels.huge).toMatch(/^v{3000,} … \[cut from 921600 bytes, sha256 [0-9a-f]{16}\]$/);
    expect(queued?.alert.labels.alertname).toBe(firstAlert.labels.alertname);
    // What travels through the queue fits one SQS message with room to spare.
    expect(bytes(encodeMessage({ kind: 'alert', envelope: queued! }))).toBeLessThan(16 * 1024);

    const bigger = { ...alert, labels: { ...firstAlert.labels, huge: 'v'.repeat(WEBHOOK_BODY_LIMIT) } };
    expect(await post(JSON.stringify({ ...capture, alerts: [bigger] }))).toMatchObject({
      status: 413,
      queued: 0,
    });
  });
});

describe('large groups', () => {
  const minimal = (i: number) => ({
    status: 'firing',
    labels: { alertname: 'A' },
    startsAt: '2026-11-23T08:23:36Z',
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint: i.toString(36),
  });
  const group = (n: number) =>
    JSON.stringify({
      version: '4',
      groupKey: '{}:{}',
      status: 'firing',
      receiver: 'r',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: '',
      alerts: Array.from({ length: n }, (_, i) => minimal(i)),
    });

  it(`queues the first ${MAX_ALERTS_PER_DELIVERY} alerts of the largest group that fits in 1 MiB`, async () => {
    // The smallest valid alert is about 130 bytes, so about 8,000 fit; 10,000 do not (see the next test). Each
    // alert costs a triage, so a delivery brings at most MAX_ALERTS_PER_DELIVERY; the rest is counted as cut.
    let n = 7_000;
    while (bytes(group(n + 100)) <= WEBHOOK_BODY_LIMIT) n += 100;
    const answer = await post(group(n));
    expect(answer).toMatchObject({
      status: 200,
      json: { accepted: MAX_ALERTS_PER_DELIVERY },
      queued: MAX_ALERTS_PER_DELIVERY,
    });
    expect(n).toBeGreaterThanOrEqual(7_000);
  });

  it('refuses a 10,000-alert group with a 413 that says how to fix it, and logs the loss as an error', async () => {
    const body = group(10_000);
    expect(bytes(body)).toBeGreaterThan(WEBHOOK_BODY_LIMIT);
    const answer = await post(body);
    expect(answer).toMatchObject({ status: 413, queued: 0 });
    expect(answer.json.error?.message).toContain(`max_alerts: ${SAFE_MAX_ALERTS}`);
    // Alertmanager does not resend after a 4xx: these alerts are lost unless someone sees this.
    expect(logs.at(-1)).toContain('"level":"error"');
    expect(logs.at(-1)).toContain('webhook refused');
  });

  it(`fits ${SAFE_MAX_ALERTS} real alerts (the reference capture's largest) in one body`, () => {
    const largest = capture.alerts[0]!;
    const body = JSON.stringify({
      ...capture,
      alerts: Array.from({ length: SAFE_MAX_ALERTS }, () => largest),
    });
    expect(bytes(body)).toBeLessThan(WEBHOOK_BODY_LIMIT);
  });
});

describe('hostile structure and encoding', () => {
  it.each([
    ['100,000 unclosed [', '['.repeat(100_000), 400, 'invalid_json'],
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400, 'invalid_payload'],
    ['100,000 nested objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 400, 'invalid_payload'],
    [
      '1,000,000 nested arrays (2 MB)',
      `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`,
      413,
      'payload_too_large',
    ],
  ])('answers %s with a 4xx, not a crash', async (_, body, status, code) => {
    expect(await post(body)).toMatchObject({ status, code, queued: 0 });
  });

  it('refuses deep nesting inside a label value, and ignores it in a field the schema does not read', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const marker = '"DEEP"';
    const inLabel = JSON.stringify({ ...capture, commonLabels: { namespace: 'DEEP' } }).replace(marker, deep);
    expect(await post(inLabel)).toMatchObject({ status: 400, code: 'invalid_payload', queued: 0 });
    const unread = JSON.stringify({ ...capture, unknownField: 'DEEP' }).replace(marker, deep);
    expect(await post(unread)).toMatchObject({ status: 200, queued: 1 });
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an invalid start byte', [0xff]],
    ['a truncated two-byte sequence', [0xc3, 0x28]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a UTF-8-encoded surrogate half', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('refuses %s inside a label value with 400 (no silent U+FFFD)', async (_, bad) => {
    const marker = 'BADBYTESHERE';
    const text = JSON.stringify({ ...capture, commonLabels: { namespace: marker } });
    const [before, after] = text.split(marker) as [string, string];
    const body = Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);
    expect(await post(body)).toMatchObject({ status: 400, code: 'invalid_json', queued: 0 });
  });

  it('keeps multi-byte UTF-8 exactly, and ignores a byte order mark', async () => {
    const name = 'zahlungen-€-日本-🔥';
    const alert = { ...capture.alerts[0], labels: { ...firstAlert.labels, namespace: name } };
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ ...capture, alerts: [alert] })),
    ]);
    expect(await post(body)).toMatchObject({ status: 200, queued: 1 });
    expect(queue.batches.at(-1)?.[0]?.alert.labels.namespace).toBe(name);
  });

  it.each([
    ['an object', '{"polluted":"yes"}'],
    ['a string', '"x"'],
  ])('drops a "__proto__" label holding %s and pollutes no prototype', async (_, value) => {
    const text = JSON.stringify(capture).replace(
      '"alertname":"KubePodCrashLooping"',
      `"__proto__":${value},"alertname":"KubePodCrashLooping"`,
    );
    expect(await post(text)).toMatchObject({ status: 200, queued: 1 });
    const labels = queue.batches.at(-1)?.[0]?.alert.labels ?? {};
    expect(Object.hasOwn(labels, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('headers and empty bodies', () => {
  // Decision: the body is JSON whatever Content-Type says. Alertmanager always sends application/json; a proxy
  // that rewrites the header must not make the service drop alerts with a 415 that Alertmanager never retries.
  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
  ])('accepts a JSON body sent as %s', async (type) => {
    expect(await post(JSON.stringify(capture), { 'content-type': type })).toMatchObject({
      status: 200,
      queued: 1,
    });
  });

  it('accepts a JSON body with no Content-Type at all', async () => {
    const response = await app.request('/alertmanager', {
      method: 'POST',
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` },
      body: new TextEncoder().encode(JSON.stringify(capture)),
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['an empty body', '', 'invalid_json'],
    ['whitespace', ' \n\t ', 'invalid_json'],
    ['null', 'null', 'invalid_payload'],
    ['a string', '"4"', 'invalid_payload'],
  ])('answers %s with 400', async (_, body, code) => {
    expect(await post(body)).toMatchObject({ status: 400, code, queued: 0 });
  });

  it('answers a POST without any body with 400', async () => {
    const response = await app.request('/alertmanager', {
      method: 'POST',
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 JSON', async (method) => {
    const response = await app.request('/alertmanager', {
      method,
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` },
    });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});
