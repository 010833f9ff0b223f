// Slack lifecycle: re-fire after resolve continues the thread; pods hit by one node-wide cause share one thread;
// a failed delivery is recorded on the incident.
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { incidentId } from '../../src/domain/incident.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';

type Webhook = {
  status: string;
  alerts: {
    status: string;
    startsAt: string;
    endsAt: string;
    fingerprint: string;
    labels: Record<string, string>;
  }[];
};
const scenario = (id: string) => loadScenarios().find((s) => s.id === id)!;
const copy = (webhook: Record<string, unknown>) => structuredClone(webhook) as unknown as Webhook;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function incident(alert: Webhook['alerts'][number]): Promise<Incident> {
  return (await (await getJson(h, `/incidents/${incidentId(alert)}`)).json()) as Incident;
}

describe('Slack threads', () => {
  it('a re-fire soon after resolve continues the thread and is broadcast, not a new parent', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    const first = copy(oom.webhook);
    await postWebhook(h, first);
    await h.queue.idle();
    const resolved = copy(oom.webhook);
    resolved.status = 'resolved';
    resolved.alerts[0]!.status = 'resolved';
    resolved.alerts[0]!.endsAt = '2026-11-23T09:05:12Z';
    await postWebhook(h, resolved);
    await h.queue.idle();
    const refired = copy(oom.webhook);
    refired.alerts[0]!.startsAt = '2026-11-23T09:20:00Z';
    await postWebhook(h, refired);
    await h.queue.idle();

    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    const again = await incident(refired.alerts[0]!);
    expect(again.notifications[0]?.threadTs).toBe(parents[0]?.ts);
    const reply = h.slack.calls.find(
      (c) => c.method === 'chat.postMessage' && String(c.body.reply_broadcast) === 'true',
    );
    expect(JSON.stringify(reply?.body.blocks)).toContain('Fired again soon after it resolved');
  });

  it('a re-fire long after resolve gets a new parent', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const resolved = copy(oom.webhook);
    resolved.alerts[0]!.status = 'resolved';
    resolved.alerts[0]!.endsAt = '2026-11-23T09:05:12Z';
    await postWebhook(h, resolved);
    await h.queue.idle();
    const nextDay = copy(oom.webhook);
    nextDay.alerts[0]!.startsAt = '2026-11-24T09:00:00Z';
    await postWebhook(h, nextDay);
    await h.queue.idle();
    expect(h.slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(2);
  });

  it('two pods failing from one full conntrack table share the node thread', async () => {
    const conntrack = scenario('conntrack-full-node');
    h = await startHarness({ cluster: conntrack.cluster });
    const invoice = copy(conntrack.webhook);
    const indexer = copy(conntrack.webhook);
    Object.assign(indexer.alerts[0]!.labels, {
      namespace: 'search',
      pod: 'indexer-5d8f7b6c9-t4wq7',
      container: 'indexer',
    });
    indexer.alerts[0]!.fingerprint = '1a2b3c4d5e6f7a8b';
    await postWebhook(h, invoice);
    await h.queue.idle();
    await postWebhook(h, indexer);
    await h.queue.idle();

    const first = await incident(invoice.alerts[0]!);
    const second = await incident(indexer.alerts[0]!);
    expect(first.findings[0]?.signatureId).toBe('conntrack-table-full');
    expect(first.findings[0]?.correlation?.affectedPods).toContain('search/indexer-5d8f7b6c9-t4wq7');
    expect(second.findings[0]?.signatureId).toBe('conntrack-table-full');
    expect(second.notifications[0]?.threadTs).toBe(first.notifications[0]?.ts);
    expect(h.slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(JSON.stringify(h.slack.calls.at(-1)?.body.blocks)).toContain('Common factor');
  });

  it('records a failed delivery on the incident, then the delivered one', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    h.slack.script('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const recorded = await incident(copy(oom.webhook).alerts[0]!);
    expect(recorded.delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(h.slack.messages(CHANNEL)).toHaveLength(1);
  });

  it('429 rate limits are waited out without spending retries: exactly one message, delivered first time', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    // Five 429s in a row: more than the retry budget, but a 429 posted nothing, so waiting costs no attempt.
    h.slack.script(
      'chat.postMessage',
      ...Array.from({ length: 5 }, () => ({ status: 429 as const, retryAfter: 1 })),
    );
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.answeredStatus)).toEqual(
      [429, 429, 429, 429, 429, 200],
    );
    expect(h.slack.messages(CHANNEL)).toHaveLength(1);
    expect((await incident(copy(oom.webhook).alerts[0]!)).delivery).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
  });
});

describe('Slack threads after an acknowledgement', () => {
  it('a re-fire of an acknowledged incident continues the thread without broadcasting to the channel', async () => {
    const { press } = await import('../support/slack-interaction.js');
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    const first = copy(oom.webhook);
    await postWebhook(h, first);
    await h.queue.idle();
    expect(
      (await press(h, { actionId: 'triage_ack', value: incidentId(first.alerts[0]!) }, 'ack')).status,
    ).toBe(200);
    await h.queue.idle();
    const resolved = copy(oom.webhook);
    resolved.status = 'resolved';
    resolved.alerts[0]!.status = 'resolved';
    resolved.alerts[0]!.endsAt = '2026-11-23T09:05:12Z';
    await postWebhook(h, resolved);
    await h.queue.idle();
    const refired = copy(oom.webhook);
    refired.alerts[0]!.startsAt = '2026-11-23T09:20:00Z';
    await postWebhook(h, refired);
    await h.queue.idle();

    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    const again = await incident(refired.alerts[0]!);
    expect(again.notifications[0]?.threadTs).toBe(parents[0]?.ts);
    const reply = h.slack.calls.find(
      (c) =>
        c.method === 'chat.postMessage' &&
        JSON.stringify(c.body.blocks ?? '').includes('Fired again soon after'),
    );
    expect(reply).toBeDefined();
    expect(String(reply?.body.reply_broadcast)).toBe('false');
  });
});
