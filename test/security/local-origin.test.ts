// Finding 9 of issue 16: local mode without tokens refuses what web pages send (Origin) and DNS rebinding (Host).
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { createApp } from '../../src/http/app.js';
import { memoryLogger } from '../support/memory-logger.js';
import { emptyStore, MemoryPlaybookStore, RecordingQueue } from '../support/minimal-app.js';

const WEBHOOK = JSON.stringify({
  version: '4',
  groupKey: '{}:{}',
  status: 'firing',
  receiver: 'r',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'web-0' },
      annotations: {},
      startsAt: '2026-12-03T08:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: '',
      fingerprint: '0123456789abcdef',
    },
  ],
});

function localApp() {
  const queue = new RecordingQueue();
  const app = createApp({
    webhookToken: undefined,
    apiToken: undefined,
    localBinding: { host: '127.0.0.1', port: 3000 },
    queue,
    store: emptyStore,
    playbooks: new MemoryPlaybookStore(),
    builtIns: BUILT_IN_SIGNATURES,
    log: memoryLogger().log,
  });
  return { app, queue };
}

describe('local mode without tokens', () => {
  it('refuses a cross-site text/plain POST (a form any page can send) and queues nothing', async () => {
    const { app, queue } = localApp();
    const res = await app.request('http://127.0.0.1:3000/alertmanager', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example', host: '127.0.0.1:3000' },
      body: WEBHOOK,
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'cross_origin_refused' } });
    expect(queue.count).toBe(0);
  });

  it('refuses a read addressed to another name (DNS rebinding)', async () => {
    const { app } = localApp();
    const res = await app.request('http://evil.example:3000/incidents', {
      headers: { host: 'evil.example:3000' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'host_refused' } });
  });

  it.each(['127.0.0.1:3000', 'localhost:3000', '[::1]:3000'])('serves a tool addressing %s', async (host) => {
    const { app, queue } = localApp();
    const res = await app.request(`http://${host}/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host },
      body: WEBHOOK,
    });
    expect(res.status).toBe(200);
    expect(queue.count).toBe(1);
  });

  it('with tokens configured, no binding check applies (the tokens protect every route)', async () => {
    const queue = new RecordingQueue();
    const app = createApp({
      webhookToken: 'webhook-token-0123456789abcdefghijklmn',
      apiToken: 'api-token-0123456789abcdefghijklmnopqrs',
      queue,
      store: emptyStore,
      playbooks: new MemoryPlaybookStore(),
      builtIns: BUILT_IN_SIGNATURES,
      log: memoryLogger().log,
    });
    const res = await app.request('http://evil.example/healthz', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(200);
  });
});
