// Load, sized for CI: concurrent webhook deliveries over real HTTP lose nothing and duplicate nothing. The speed
// figures live in BENCHMARKS.md (`npm run bench -- ingest`); this asserts behaviour under the same load.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { minimalApp, WEBHOOK_TOKEN } from '../support/minimal-app.js';

const { app, queue, logs } = minimalApp();
/** Answers by status as the server sent them: the client does not count requests still in flight at its end. */
const answered: Record<number, number> = {};
let url: string;
let close: () => void;

beforeAll(async () => {
  const fetch = async (request: Request) => {
    const response = await app.fetch(request);
    answered[response.status] = (answered[response.status] ?? 0) + 1;
    return response;
  };
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('webhook under concurrent load', () => {
  it('queues every alert of every 2xx, exactly once, with 20 connections and 400 deliveries', async () => {
    const webhook = loadScenarios().find((s) => s.id === 'oom-checkout-api')!.webhook as {
      alerts: unknown[];
    };
    const result = await autocannon({
      url: `${url}/alertmanager`,
      method: 'POST',
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(webhook),
      connections: 20,
      amount: 400,
    });
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result['2xx']).toBe(400);
    expect(Object.keys(answered)).toEqual(['200']);
    expect(queue.batches).toHaveLength(answered[200]!);
    expect(queue.count).toBe(answered[200]! * webhook.alerts.length);
  });

  it('answers a mix of good, unauthenticated and malformed deliveries each as it should, none lost to the load', async () => {
    const good = JSON.stringify(loadScenarios().find((s) => s.id === 'oom-checkout-api')!.webhook);
    const before = { queued: queue.count, ok: answered[200] ?? 0, refusals: logs.length };
    const statuses: Record<string, number> = {};
    const result = await autocannon({
      url: `${url}/alertmanager`,
      connections: 10,
      amount: 600,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
          body: good,
        },
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: good },
        {
          method: 'POST',
          headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
          body: '{"version":"4","alerts":[',
        },
      ],
      setupClient: (client) => {
        client.on('response', (status: number) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        });
      },
    });
    expect(result.errors).toBe(0);
    expect(Object.keys(statuses).sort()).toEqual(['200', '400', '401']);
    expect(statuses[200]! + statuses[400]! + statuses[401]!).toBeGreaterThanOrEqual(600);
    expect(queue.count - before.queued).toBe((answered[200] ?? 0) - before.ok);
    // Each malformed delivery from the authenticated sender is an error in the log (Alertmanager drops it).
    const refusals = logs.slice(before.refusals).filter((l) => l.includes('webhook refused'));
    expect(refusals).toHaveLength(answered[400]!);
  });
});
