// End to end with the real Alertmanager: a signed "Silence 1 h" press creates the silence, silenced re-sends are not
// delivered, and "Unsilence" expires it.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { silenceMatchers } from '../../src/domain/actions.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { alertmanagerBinary, type RunningAlertmanager, startAlertmanager } from '../support/alertmanager.js';
import { freePort } from '../support/child-process.js';
import { CHANNEL, type Harness, startHarness, WEBHOOK_TOKEN } from '../support/harness.js';
import { press } from '../support/slack-interaction.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
const firing = (
  oom.webhook as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] }
).alerts[0]!;

interface Silence {
  id: string;
  status: { state: string };
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
  endsAt: string;
  createdBy: string;
  comment: string;
}

let h: Harness | undefined;
let alertmanager: RunningAlertmanager | undefined;
let closeServer: (() => void) | undefined;

afterEach(async () => {
  await alertmanager?.stop();
  closeServer?.();
  await h?.close();
});

/** Serves the app on loopback and records the alerts of every webhook delivery (pod names), in order. */
async function listen(harness: Harness, deliveries: string[][]): Promise<string> {
  const server = serve({
    fetch: async (request) => {
      if (new URL(request.url).pathname === '/alertmanager') {
        const body = (await request.clone().json()) as {
          alerts: { labels: Record<string, string>; status: string }[];
        };
        deliveries.push(body.alerts.filter((a) => a.status === 'firing').map((a) => a.labels.pod ?? ''));
      }
      return harness.app.fetch(request);
    },
    hostname: '127.0.0.1',
    port: 0,
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  closeServer = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function silences(): Promise<Silence[]> {
  return (await (await fetch(`${alertmanager?.url}/api/v2/silences`)).json()) as Silence[];
}

async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  // An external process has no event to await: poll with a short backoff, bounded by the test's own timeout.
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The app and a real Alertmanager wired to each other; the OOM alert fired, triaged and posted. */
async function firedAndPosted() {
  const port = await freePort();
  h = await startHarness({ cluster: oom.cluster, env: { ALERTMANAGER_URL: `http://127.0.0.1:${port}` } });
  const deliveries: string[][] = [];
  const base = await listen(h, deliveries);
  alertmanager = await startAlertmanager({
    webhookUrl: `${base}/alertmanager`,
    token: WEBHOOK_TOKEN,
    groupWait: '1s',
    groupInterval: '1s',
    port,
  });
  const startsAt = new Date(Date.now() - 16 * 60_000).toISOString();
  await alertmanager.push([{ labels: firing.labels, annotations: firing.annotations, startsAt }]);
  await h.slack.waitForCalls(1, 15_000);
  await h.queue.idle();
  const [incident] = (await h.store.list({ limit: 5 })).items;
  return { harness: h, am: alertmanager, deliveries, startsAt, incident };
}

describe.skipIf(!alertmanagerBinary() && !process.env.CI)('silence from Slack, real Alertmanager', () => {
  it('Silence 1 h creates the silence for this pod only, suppresses its re-sends, and Unsilence expires it', async () => {
    const { harness, am, deliveries, startsAt, incident } = await firedAndPosted();
    h = harness;
    alertmanager = am;
    expect(incident).toBeDefined();
    const message = h.slack.messages(CHANNEL)[0]!;

    const before = Date.now();
    const response = await press(
      h,
      { actionId: 'triage_silence_1h', value: incident!.id, messageTs: message.ts },
      'silence',
    );
    expect(response.status).toBe(200);
    await h.queue.idle();
    const after = Date.now();

    const [silence, ...others] = await silences();
    expect(others).toEqual([]);
    expect(silence?.status.state).toBe('active');
    expect(silence?.matchers.map((m) => [m.name, m.value, m.isRegex, m.isEqual ?? true])).toEqual([
      ['alertname', firing.labels.alertname, false, true],
      ['namespace', firing.labels.namespace, false, true],
      ['pod', firing.labels.pod, false, true],
    ]);
    const endsAt = Date.parse(silence!.endsAt);
    expect(endsAt).toBeGreaterThanOrEqual(before - 1000 + 3600_000);
    expect(endsAt).toBeLessThanOrEqual(after + 1000 + 3600_000);
    expect(silence?.createdBy).toContain('U0ONCALL01');
    expect(silence?.comment).toContain(incident!.id);
    expect(silence?.comment).toContain(
      `https://slack.com/archives/${CHANNEL}/p${message.ts.replace('.', '')}`,
    );

    const stored = await h.store.get(incident!.id);
    expect(stored?.silence?.id).toBe(silence?.id);
    expect(stored?.timeline?.at(-1)).toMatchObject({ event: 'silenced' });
    const thread = h.slack.messages(CHANNEL).filter((m) => m.thread_ts === message.ts);
    expect(thread.at(-1)?.text).toMatch(
      /^Silenced for 1 h by <@U0ONCALL01> until \d\d:\d\d UTC \(silence `[0-9a-f-]+` matching/,
    );
    const updated = JSON.stringify(h.slack.messages(CHANNEL)[0]?.blocks);
    expect(updated).toContain('triage_unsilence');
    expect(updated).toContain(`silence \`${silence?.id}\``);

    // Prometheus re-sends the silenced alert, and another pod of the group starts firing: the group's next
    // delivery carries the other pod alone.
    const otherPod = `${firing.labels.pod}-other`;
    await alertmanager.push([
      { labels: firing.labels, annotations: firing.annotations, startsAt },
      { labels: { ...firing.labels, pod: otherPod }, annotations: firing.annotations, startsAt },
    ]);
    const next = await until(async () => deliveries.find((pods) => pods.includes(otherPod)));
    expect(next).toEqual([otherPod]);
    const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts?silenced=true`)).json()) as {
      labels: Record<string, string>;
      status: { state: string; silencedBy: string[] };
    }[];
    const silenced = alerts.find((a) => a.labels.pod === firing.labels.pod);
    expect(silenced?.status).toMatchObject({ state: 'suppressed', silencedBy: [silence?.id] });

    await press(h, { actionId: 'triage_unsilence', value: incident!.id, messageTs: message.ts }, 'unsilence');
    await h.queue.idle();
    expect((await silences()).find((s) => s.id === silence?.id)?.status.state).toBe('expired');
    expect((await h.store.get(incident!.id))?.silence?.expiredBy).toBe('U0ONCALL01');
    expect(h.slack.messages(CHANNEL).at(-1)?.text).toContain(
      `Unsilenced by <@U0ONCALL01>: silence \`${silence?.id}\` expired`,
    );
  }, 60_000);

  it('a press redelivered after the worker died before recording its silence adopts that silence', async () => {
    const { harness, incident } = await firedAndPosted();
    h = harness;
    const message = h.slack.messages(CHANNEL)[0]!;

    // What the first attempt left behind: its silence in Alertmanager, nothing in the incident. A person's
    // silence on the same pod is theirs and is not taken over.
    const create = async (comment: string) => {
      const response = await fetch(`${alertmanager?.url}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: silenceMatchers(incident!.labels, incident!.target),
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3600_000).toISOString(),
          createdBy: 'someone',
          comment,
        }),
      });
      return ((await response.json()) as { silenceID: string }).silenceID;
    };
    const persons = await create('maintenance window for checkout');
    const earlier = await create(`alert-triage incident ${incident!.id}: ${incident!.alertname} on pod`);
    expect((await h.store.get(incident!.id))?.silence).toBeUndefined();

    await press(h, { actionId: 'triage_silence_1h', value: incident!.id, messageTs: message.ts }, 'silence');
    await h.queue.idle();

    expect((await silences()).map((s) => s.id).sort()).toEqual([persons, earlier].sort());
    expect((await h.store.get(incident!.id))?.silence?.id).toBe(earlier);
    expect(h.slack.messages(CHANNEL).at(-1)?.text).toContain(`silence \`${earlier}\``);
  }, 60_000);
});
