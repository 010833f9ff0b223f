// Resolves are posted once even when Slack's answers are lost: a failed resolve post is retried by the redelivery
// (on a lease, like the first post), and the retry looks for a reply that landed before posting it again.
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios, mergeClusters } from '../../src/local/cluster/scenarios.js';
import { CHANNEL, type Harness, postWebhook, startHarness } from '../support/harness.js';
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

describe.each(LOST)('a resolve whose answer is lost as $name', (way) => {
  it('resolve reply: every try of the first delivery failed unapplied; the redelivery posts it once', async () => {
    h = await startHarness({ cluster: oom.cluster, queueDelayMs: 1, env: ENV });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const before = h.slack.messages(CHANNEL).length;

    h.slack.script('chat.postMessage', way.lost(false), way.lost(false), way.lost(false), way.lost(false));
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

  it('storm resolve: the storm thread hears once that it resolved', async () => {
    h = await startHarness({
      cluster: mergeClusters(scenarios.map((s) => s.cluster)),
      queueDelayMs: 1,
      env: ENV,
    });
    const webhook = stormWebhook(scenarios, 5);
    await postWebhook(h, webhook);
    await h.queue.idle();
    const before = h.slack.messages(CHANNEL).length;

    h.slack.script('chat.postMessage', ...lastTryLanded(way));
    await postWebhook(h, {
      ...webhook,
      status: 'resolved',
      alerts: webhook.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-11-23T09:30:00Z' })),
    });
    await h.queue.idle();
    const added = h.slack.messages(CHANNEL).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]?.text).toContain('All 5 alerts of this storm have resolved');
  }, 30_000);
});
