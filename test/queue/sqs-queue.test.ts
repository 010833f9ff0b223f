// SqsQueue through the real @aws-sdk/client-sqs against a loopback SQS stand-in that enforces SQS's limits.
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/adapters/queue/queue-message.js';
import { MAX_BATCH_BYTES, packBatches, SqsQueue } from '../../src/adapters/queue/sqs-queue.js';
import { BOUNDS } from '../../src/domain/bounds.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { DependencyError } from '../../src/ports.js';
import { emptyStore, MemoryPlaybookStore, WEBHOOK_TOKEN } from '../support/minimal-app.js';
import { queuedEnvelope, queuedJob } from '../support/queue-fixtures.js';
import { type SqsStandIn, startSqsStandIn } from '../support/standins/sqs-api.js';

let sqs: SqsStandIn;
let client: SQSClient;
beforeEach(async () => {
  sqs = await startSqsStandIn();
  client = new SQSClient({
    endpoint: sqs.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 2,
  });
});
afterEach(async () => {
  client.destroy();
  await sqs.close();
});

const envelope = (i: number, annotations: Record<string, string> = {}) =>
  queuedEnvelope({ fingerprint: `fp${i}`, annotations });
const job = queuedJob;

describe('SqsQueue', () => {
  it('sends 25 alerts as batches of at most ten and a command beside them, all in the shared format', async () => {
    const queue = new SqsQueue(client, sqs.queueUrl);
    const envelopes = Array.from({ length: 25 }, (_, i) => envelope(i));
    await queue.enqueue(envelopes);
    await queue.enqueueCommand(job);
    expect(sqs.requests.map((r) => [r.action, r.outcome, r.entries])).toEqual([
      ['SendMessageBatch', 'ok', 10],
      ['SendMessageBatch', 'ok', 10],
      ['SendMessageBatch', 'ok', 5],
      ['SendMessage', 'ok', 1],
    ]);
    const messages = sqs.bodies().map(decodeMessage);
    expect(
      messages
        .filter((m) => m.kind === 'alert')
        .map((m) => m.kind === 'alert' && m.envelope.alert.fingerprint)
        .sort(),
    ).toEqual(envelopes.map((e) => e.alert.fingerprint).sort());
    expect(messages.at(-1)).toEqual({ kind: 'command', job });
  });

  it('packs ten alerts at their largest into batches SQS accepts (no BatchRequestTooLong)', async () => {
    const big = {
      description: 'd'.repeat(BOUNDS.annotationValue - 100),
      summary: 's'.repeat(BOUNDS.annotationValue - 100),
    };
    const envelopes = Array.from({ length: 10 }, (_, i) => envelope(i, { ...big, n: String(i) }));
    await new SqsQueue(client, sqs.queueUrl).enqueue(envelopes);
    expect(sqs.requests.every((r) => r.outcome === 'ok')).toBe(true);
    expect(sqs.requests.length).toBeGreaterThan(1);
    expect(sqs.bodies()).toHaveLength(10);
  });

  it('the stand-in refuses what SQS refuses: a batch over 256 KiB in total', async () => {
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    const body = 'x'.repeat(40 * 1024);
    await expect(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: sqs.queueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: body })),
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchRequestTooLong' });
  });

  it('throws a DependencyError when SQS keeps failing, so the webhook can answer 5xx', async () => {
    sqs.failNext(10);
    await expect(new SqsQueue(client, sqs.queueUrl).enqueue([envelope(1)])).rejects.toBeInstanceOf(
      DependencyError,
    );
    expect(sqs.requests.map((r) => r.outcome)).toEqual(['InternalFailure', 'InternalFailure']);
  });

  it('behind the webhook: SQS down means 503 (Alertmanager retries), SQS back means 200 and the alert queued', async () => {
    const app = createApp({
      webhookToken: WEBHOOK_TOKEN,
      apiToken: 'api-token-0123456789abcdef',
      queue: new SqsQueue(client, sqs.queueUrl),
      store: emptyStore,
      playbooks: new MemoryPlaybookStore(),
      builtIns: [],
      log: createLogger({ level: 'error', sink: () => {} }),
    });
    const body = JSON.stringify({
      version: '4',
      groupKey: '{}:{}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'alert-triage',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: '',
      alerts: [{ ...envelope(7).alert }],
    });
    const post = () =>
      app.request('/alertmanager', {
        method: 'POST',
        headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
        body,
      });
    sqs.failNext(2);
    expect((await post()).status).toBe(503);
    expect(sqs.bodies()).toEqual([]);
    expect((await post()).status).toBe(200);
    expect(sqs.bodies().map(decodeMessage)).toMatchObject([
      { kind: 'alert', envelope: { alert: { fingerprint: 'fp7' } } },
    ]);
  });
});

describe('packBatches', () => {
  it('keeps order, at most ten per batch, and at most MAX_BATCH_BYTES unless one body alone is larger', () => {
    const bodies = [1, 200_000, 100_000, 50_000, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 300_000].map((n) =>
      'b'.repeat(n),
    );
    const batches = packBatches(bodies);
    expect(batches.flat()).toEqual(bodies);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(10);
      if (batch.length > 1) expect(batch.join('').length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    }
    expect(batches.map((b) => b.length)).toEqual([2, 10, 2, 1]);
  });
});
