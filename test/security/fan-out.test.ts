// Finding 10 of issue 16: a delivery brings at most MAX_ALERTS_PER_DELIVERY alerts, control characters in labels
// cannot split a Prometheus query, and U+FFFE/U+FFFF in labels (outside SQS's character set) still get queued.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/adapters/queue/queue-message.js';
import { SqsQueue } from '../../src/adapters/queue/sqs-queue.js';
import { containerQueries, nodeQueries } from '../../src/domain/metric-queries.js';
import { createApp } from '../../src/http/app.js';
import { MAX_ALERTS_PER_DELIVERY } from '../../src/http/routes/alertmanager.js';
import { alert } from '../support/contexts.js';
import { memoryLogger } from '../support/memory-logger.js';
import {
  API_TOKEN,
  emptyStore,
  MemoryPlaybookStore,
  minimalApp,
  WEBHOOK_TOKEN,
} from '../support/minimal-app.js';
import { type SqsStandIn, startSqsStandIn } from '../support/standins/sqs-api.js';

const webhook = (alerts: Record<string, unknown>[]) =>
  JSON.stringify({
    version: '4',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'alert-triage',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts,
  });
const post = (
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  body: string,
) =>
  app.request('/alertmanager', {
    method: 'POST',
    headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
    body,
  });

describe('alerts per delivery', () => {
  it(`queues at most ${MAX_ALERTS_PER_DELIVERY} alerts and counts the rest as left out`, async () => {
    const { app, queue, logs } = minimalApp();
    const alerts = Array.from({ length: MAX_ALERTS_PER_DELIVERY + 250 }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: `web-${i}` },
      annotations: {},
      startsAt: '2026-12-03T08:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: `fp${i}`,
    }));
    const res = await post(app, webhook(alerts));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: MAX_ALERTS_PER_DELIVERY });
    expect(queue.count).toBe(MAX_ALERTS_PER_DELIVERY);
    expect(queue.batches.flat().every((e) => e.truncatedAlerts === 250)).toBe(true);
    expect(logs.join('\n')).toMatch(/per-delivery maximum left out.*max_alerts: 500/);
  });
});

describe('control characters in label values', () => {
  it.each(['\n', '\r', '\u2028', '\u0000', '\u007f'])('cannot split a PromQL query (%j)', (c) => {
    const hostile = `ip-10-0-0-1${c}up{job="x"}`;
    for (const { promql } of [...nodeQueries(hostile), ...containerQueries(hostile, hostile, hostile)]) {
      expect([...promql].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '\u2028')).toBe(
        false,
      );
      // The value stays one quoted string: its quote is escaped.
      expect(promql).toContain('up{job=\\"x\\"}');
    }
  });
});

describe('characters SQS refuses', () => {
  let sqs: SqsStandIn;
  let client: SQSClient;
  beforeEach(async () => {
    sqs = await startSqsStandIn();
    client = new SQSClient({
      endpoint: sqs.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await sqs.close();
  });

  it.each([
    '\uFFFE',
    '\uFFFF',
    '\u0001',
  ])('the stand-in refuses %j raw in a body, as SQS documents', async (c) => {
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl, MessageBody: `label ${c}` })),
    ).rejects.toMatchObject({ name: expect.stringContaining('InvalidMessageContents') });
    expect(sqs.bodies()).toEqual([]);
  });

  it('a label holding U+FFFE and U+FFFF is queued (200), and reaches the worker unchanged', async () => {
    const app = createApp({
      webhookToken: WEBHOOK_TOKEN,
      apiToken: API_TOKEN,
      queue: new SqsQueue(client, sqs.queueUrl),
      store: emptyStore,
      playbooks: new MemoryPlaybookStore(),
      builtIns: [],
      log: memoryLogger().log,
    });
    const labels = { ...alert().labels, team: 'a\uFFFEb\uFFFFc', note: 'line\nbreak' };
    const res = await post(app, webhook([{ ...alert(), labels }]));
    expect(res.status).toBe(200);
    const [message] = sqs.bodies().map(decodeMessage);
    expect(message).toMatchObject({ kind: 'alert', envelope: { alert: { labels } } });
  });
});
