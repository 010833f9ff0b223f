// "The last try landed but its answer was lost": every kind of post (incident message, thread reply, storm summary,
// resolve reply) ends as exactly one message, whichever way the Slack stand-in loses the answer.
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { incidentId } from '../../src/domain/incident.js';
import { loadScenarios, mergeClusters } from '../../src/local/cluster/scenarios.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';
import { LOST, lastTryLanded } from '../support/lost-answers.js';
import { stormWebhook, type Webhook } from '../support/storm-webhook.js';

const scenarios = loadScenarios();
const oom = scenarios.find((s) => s.id === 'oom-checkout-api')!;
const copy = (webhook: unknown) => structuredClone(webhook) as Webhook;
const ENV = { SLACK_TIMEOUT_MS: '300' };

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function incident(alert: Webhook['alerts'][number]): Promise<Incident> {
  return (await (await getJson(h, `/incidents/${incidentId(alert)}`)).json()) as Incident;
}

describe.each(LOST)('an answer lost as $name', (way) => {
  it('incident message: the redelivery finds the landed post, one message in the channel', async () => {
    h = await startHarness({ cluster: oom.cluster, queueDelayMs: 1, env: ENV });
    h.slack.script('chat.postMessage', ...lastTryLanded(way));
    await postWebhook(h, oom.webhook);
    await h.queue.idle();

    const messages = h.slack.messages(CHANNEL);
    expect(messages).toHaveLength(1);
    const stored = await incident(copy(oom.webhook).alerts[0]!);
    expect(stored.notifications).toEqual([{ channel: CHANNEL, ts: messages[0]!.ts }]);
    expect(stored.delivery).toMatchObject({ status: 'delivered' });
  }, 30_000);

  it('thread reply (a re-fire): one reply in the thread', async () => {
    h = await startHarness({ cluster: oom.cluster, queueDelayMs: 1, env: ENV });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const resolved = copy(oom.webhook);
    resolved.status = 'resolved';
    resolved.alerts[0]!.status = 'resolved';
    resolved.alerts[0]!.endsAt = '2026-11-23T09:05:12Z';
    await postWebhook(h, resolved);
    await h.queue.idle();
    const before = h.slack.messages(CHANNEL).length;

    h.slack.script('chat.postMessage', ...lastTryLanded(way));
    const refired = copy(oom.webhook);
    refired.alerts[0]!.startsAt = '2026-11-23T09:20:00Z';
    await postWebhook(h, refired);
    await h.queue.idle();

    const added = h.slack.messages(CHANNEL).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]?.thread_ts).toBeDefined();
    expect((await incident(refired.alerts[0]!)).notifications).toEqual([
      { channel: CHANNEL, ts: added[0]!.ts, threadTs: added[0]!.thread_ts },
    ]);
  }, 30_000);

  it('resolve reply: posted once, though every try of the first delivery failed', async () => {
    h = await startHarness({ cluster: oom.cluster, queueDelayMs: 1, env: ENV });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const before = h.slack.messages(CHANNEL).length;

    h.slack.script('chat.postMessage', ...lastTryLanded(way));
    const resolved = copy(oom.webhook);
    resolved.status = 'resolved';
    resolved.alerts[0]!.status = 'resolved';
    resolved.alerts[0]!.endsAt = '2026-11-23T09:05:12Z';
    await postWebhook(h, resolved);
    await h.queue.idle();

    const added = h.slack.messages(CHANNEL).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]?.text).toMatch(/resolved/i);
  }, 30_000);

  it('storm summary: one summary, every diagnosis once in its thread', async () => {
    h = await startHarness({
      cluster: mergeClusters(scenarios.map((s) => s.cluster)),
      queueDelayMs: 1,
      env: ENV,
    });
    h.slack.script('chat.postMessage', ...lastTryLanded(way));
    await postWebhook(h, stormWebhook(scenarios, 6));
    await h.queue.idle();

    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    expect(parents[0]?.text).toMatch(/^Alert storm/);
    const replies = h.slack.messages(CHANNEL).filter((m) => m.thread_ts === parents[0]!.ts);
    expect(replies.length).toBeGreaterThan(0);
    expect(new Set(replies.map((r) => r.text)).size).toBe(replies.length);
  }, 30_000);
});
