// Proves the Alertmanager harness: a real Alertmanager delivers one webhook v4 request with the Bearer token.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alertmanagerBinary, type RunningAlertmanager, startAlertmanager } from '../support/alertmanager.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

async function startReceiver(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  first: Promise<Received>;
}> {
  const received: Received[] = [];
  let onFirst!: (request: Received) => void;
  const first = new Promise<Received>((resolve) => {
    onFirst = resolve;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      };
      received.push(request);
      res.end('ok');
      onFirst(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/alertmanager`, received, first };
}

describe.skipIf(!alertmanagerBinary() && !process.env.CI)('Alertmanager harness', () => {
  let alertmanager: RunningAlertmanager | undefined;
  let receiver: Server | undefined;

  afterEach(async () => {
    await alertmanager?.stop();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('delivers one firing alert as a webhook v4 POST with the Bearer token', async () => {
    const token = 'webhook-token-0123456789';
    const hook = await startReceiver();
    receiver = hook.server;
    alertmanager = await startAlertmanager({
      webhookUrl: hook.url,
      token,
      groupWait: '1s',
      groupInterval: '2s',
    });
    const labels = {
      alertname: 'KubePodCrashLooping',
      namespace: 'payments',
      pod: 'checkout-api-7d9f8c6b5-x2x7q',
      severity: 'warning',
    };

    await alertmanager.push([{ labels, startsAt: new Date(Date.now() - 16 * 60_000).toISOString() }]);
    const request = await hook.first;
    // Stopping Alertmanager bounds its lifetime, so the count below is final without waiting on a timer.
    await alertmanager.stop();
    alertmanager = undefined;

    expect(hook.received).toHaveLength(1);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/alertmanager');
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
    expect(request.headers['user-agent']).toMatch(/^Alertmanager\//);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toMatchObject({
      version: '4',
      status: 'firing',
      groupLabels: { namespace: 'payments' },
      alerts: [{ status: 'firing', labels, endsAt: '0001-01-01T00:00:00Z' }],
    });
  });
});
