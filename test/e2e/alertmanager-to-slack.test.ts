// End to end with real parts: Debian's Alertmanager -> our HTTP server -> triage -> exactly one Slack message.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import type { ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import {
  type AlertmanagerOptions,
  alertmanagerBinary,
  type RunningAlertmanager,
  startAlertmanager,
} from '../support/alertmanager.js';
import { CHANNEL, getJson, type Harness, startHarness, WEBHOOK_TOKEN } from '../support/harness.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
const firing = (
  oom.webhook as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] }
).alerts[0]!;

let h: Harness | undefined;
let alertmanager: RunningAlertmanager | undefined;
let closeServer: (() => void) | undefined;

afterEach(async () => {
  await alertmanager?.stop();
  closeServer?.();
  await h?.close();
});

async function listen(harness: Harness): Promise<string> {
  const server = serve({ fetch: harness.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  closeServer = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The harness listening on loopback and a real Alertmanager delivering to it with short timers. */
async function startBoth(
  cluster: ScenarioCluster,
  options: Omit<AlertmanagerOptions, 'webhookUrl'>,
): Promise<{ h: Harness; alertmanager: RunningAlertmanager }> {
  h = await startHarness({ cluster });
  const base = await listen(h);
  alertmanager = await startAlertmanager({
    webhookUrl: `${base}/alertmanager`,
    groupWait: '1s',
    groupInterval: '2s',
    ...options,
  });
  return { h, alertmanager };
}

describe.skipIf(!alertmanagerBinary() && !process.env.CI)('real Alertmanager end to end', () => {
  it('delivers a crash-looping pod alert that becomes one Slack message diagnosing container-oom-killed', async () => {
    const started = await startBoth(oom.cluster, {
      token: WEBHOOK_TOKEN,
      groupWait: '1s',
      groupInterval: '2s',
    });
    h = started.h;
    alertmanager = started.alertmanager;
    const startsAt = new Date(Date.now() - 16 * 60_000).toISOString();
    await alertmanager.push([{ labels: firing.labels, annotations: firing.annotations, startsAt }]);

    const [call] = await h.slack.waitForCalls(1, 15_000);
    await h.queue.idle();
    expect(call?.method).toBe('chat.postMessage');

    // Once Alertmanager has exited nothing more can arrive, so the count below is final.
    await alertmanager.stop();
    alertmanager = undefined;
    await h.queue.idle();
    expect(h.slack.messages(CHANNEL)).toHaveLength(1);

    const page = (await (await getJson(h, '/incidents')).json()) as { items: Incident[] };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.findings[0]?.signatureId).toBe('container-oom-killed');
    expect(page.items[0]?.notifications).toHaveLength(1);
  });

  it('an Alertmanager with the wrong token is refused and nothing is triaged', async () => {
    const started = await startBoth(oom.cluster, {
      token: 'wrong-token',
      groupWait: '1s',
      groupInterval: '2s',
    });
    h = started.h;
    alertmanager = started.alertmanager;
    const refused = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (alertmanager?.logs().includes('unexpected status code 401')) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    await alertmanager.push([
      {
        labels: firing.labels,
        annotations: firing.annotations,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
      },
    ]);
    await refused;
    await alertmanager.stop();
    alertmanager = undefined;
    await h.queue.idle();
    expect(h.slack.calls).toEqual([]);
    expect((await h.store.list({ limit: 5 })).items).toEqual([]);
  });

  it('re-sends of a growing group never double a message, and a resolve updates the thread once', async () => {
    const liveness = loadScenarios().find((s) => s.id === 'liveness-kill-orders')!;
    const { mergeClusters } = await import('../../src/local/cluster/scenarios.js');
    const started = await startBoth(mergeClusters([oom.cluster, liveness.cluster]), {
      token: WEBHOOK_TOKEN,
      groupBy: ['alertname'],
      groupWait: '1s',
      groupInterval: '1s',
    });
    h = started.h;
    alertmanager = started.alertmanager;
    const other = (liveness.webhook as typeof oom.webhook & { alerts: (typeof firing)[] }).alerts[0]!;
    const startsAt = new Date(Date.now() - 16 * 60_000).toISOString();
    await alertmanager.push([{ labels: firing.labels, annotations: firing.annotations, startsAt }]);
    await h.slack.waitForCalls(1, 15_000);
    await h.queue.idle();
    // The group changes: Alertmanager re-sends it with both alerts, the first one included again.
    await alertmanager.push([{ labels: other.labels, annotations: other.annotations, startsAt }]);
    await h.slack.waitForCalls(2, 15_000);
    await h.queue.idle();
    // Resolving the first alert makes Alertmanager send the group once more, with one alert resolved.
    await alertmanager.push([
      { labels: firing.labels, annotations: firing.annotations, startsAt, endsAt: new Date().toISOString() },
    ]);
    await h.slack.waitForCalls(4, 15_000);
    await alertmanager.stop();
    alertmanager = undefined;
    await h.queue.idle();

    const deliveries = h.logs.filter((l) => l.includes('"alerts accepted"'));
    expect(deliveries.length).toBeGreaterThanOrEqual(3);
    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(2);
    expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(1);
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts)).toHaveLength(1);
    const page = (await (await getJson(h, '/incidents')).json()) as { items: Incident[] };
    expect(page.items.map((i) => [i.findings[0]?.signatureId, i.status]).sort()).toEqual([
      ['container-oom-killed', 'resolved'],
      ['liveness-probe-kill', 'firing'],
    ]);
  });
});

describe.skipIf(!alertmanagerBinary() && !process.env.CI)(
  'real Alertmanager: max_alerts and resolves',
  () => {
    const pods = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        labels: { ...firing.labels, pod: `checkout-api-7d9f8c6b5-r${i}` },
        annotations: firing.annotations,
      }));

    it('a group cut by max_alerts is one storm report that says how many alerts were left out', async () => {
      const started = await startBoth(oom.cluster, {
        token: WEBHOOK_TOKEN,
        groupBy: ['alertname'],
        groupWait: '1s',
        groupInterval: '1s',
        maxAlerts: 3,
      });
      h = started.h;
      alertmanager = started.alertmanager;
      // A fresh startsAt: Alertmanager flushes a new group with old alerts at once, before all eight are in;
      // with a fresh one it waits group_wait and sends the whole group (cut to max_alerts).
      const startsAt = new Date().toISOString();
      await alertmanager.push(pods(8).map((p) => ({ ...p, startsAt })));
      await h.slack.waitForCalls(1, 15_000);
      await h.queue.idle();
      await alertmanager.stop();
      alertmanager = undefined;
      await h.queue.idle();

      const accepted = h.logs.filter((l) => l.includes('"alerts accepted"')).map((l) => JSON.parse(l));
      expect(accepted[0]).toMatchObject({ alerts: 3, truncatedAlerts: 5 });
      const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
      expect(parents).toHaveLength(1);
      const summary = JSON.stringify(parents[0]);
      expect(summary).toContain('Alert storm: 3 new alerts');
      expect(summary).toContain('Alertmanager left 5 more alert(s) of this group out of the notification');
      const page = (await (await getJson(h, '/incidents')).json()) as { items: Incident[] };
      expect(page.items).toHaveLength(3);
      expect(page.items.every((i) => i.notifications[0]?.stormId)).toBe(true);
    });

    it('a partial resolve resolves only that incident; the full resolve resolves the rest, each thread told once', async () => {
      const started = await startBoth(oom.cluster, {
        token: WEBHOOK_TOKEN,
        groupBy: ['alertname'],
        groupWait: '1s',
        groupInterval: '1s',
      });
      h = started.h;
      alertmanager = started.alertmanager;
      const startsAt = new Date(Date.now() - 16 * 60_000).toISOString();
      const [a, b] = pods(2).map((p) => ({ ...p, startsAt }));
      await alertmanager.push([a!, b!]);
      await h.slack.waitForCalls(2, 15_000);
      await h.queue.idle();
      const status = async () => {
        const page = (await (await getJson(h!, '/incidents')).json()) as { items: Incident[] };
        return Object.fromEntries(page.items.map((i) => [i.labels.pod, i.status]));
      };
      expect(await status()).toEqual({ [a!.labels.pod]: 'firing', [b!.labels.pod]: 'firing' });

      await alertmanager.push([{ ...a!, endsAt: new Date().toISOString() }]);
      await h.slack.waitForCalls(4, 15_000); // one update and one thread reply
      await h.queue.idle();
      expect(await status()).toEqual({ [a!.labels.pod]: 'resolved', [b!.labels.pod]: 'firing' });

      await alertmanager.push([{ ...b!, endsAt: new Date().toISOString() }]);
      await h.slack.waitForCalls(6, 15_000);
      await alertmanager.stop();
      alertmanager = undefined;
      await h.queue.idle();
      expect(await status()).toEqual({ [a!.labels.pod]: 'resolved', [b!.labels.pod]: 'resolved' });
      // Alertmanager sends the resolved alert again with the group's later notifications: never a second reply.
      expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(2);
      const replies = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts);
      expect(replies).toHaveLength(2);
      expect(new Set(replies.map((r) => r.body.thread_ts)).size).toBe(2);
    });
  },
);
