// Nothing is lost when a dependency fails: the store down means retries, then a loud dead letter with its reason.
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { type Harness, postWebhook, startHarness } from '../support/harness.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
let h: Harness;
afterEach(async () => {
  await h?.close().catch(() => undefined);
});

describe('faults', () => {
  it('the store unavailable to the worker: the alert is retried, then dead-lettered with its reason, loudly', async () => {
    h = await startHarness({ cluster: oom.cluster });
    await h.dynamo.close();
    // The webhook still answers 200: the alert is queued; the worker is what needs the store.
    expect((await postWebhook(h, oom.webhook)).status).toBe(200);
    await h.queue.idle();
    expect(h.queue.deadLetters).toHaveLength(1);
    expect(h.queue.deadLetters[0]?.reason).toMatch(/get incident|ECONNREFUSED|store/i);
    const retries = h.logs.filter((l) => l.includes('retrying'));
    expect(retries.length).toBe(4);
    expect(h.logs.some((l) => l.includes('DEAD LETTER'))).toBe(true);
    expect(h.slack.calls).toEqual([]);
  });

  it('the cluster proxy down entirely: triage completes, says what was unavailable, and still notifies', async () => {
    h = await startHarness({ cluster: oom.cluster });
    await h.k8s.close();
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const text = JSON.stringify(h.slack.calls[0]?.body.blocks);
    expect(text).toContain('Context not available');
    expect(text).toContain('no known signature matched');
  });

  it('Slack down beyond every retry: the alert is dead-lettered, the failure recorded, and nothing was posted twice', async () => {
    h = await startHarness({ cluster: oom.cluster });
    h.slack.script('chat.postMessage', ...Array.from({ length: 40 }, () => ({ status: 503 as const })));
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    expect(h.queue.deadLetters).toHaveLength(1);
    expect(h.slack.messages('C0ALERTS01')).toHaveLength(0);
    const { items } = await h.store.list({ limit: 1 });
    expect(items[0]?.delivery).toMatchObject({ status: 'failed', attempts: 5 });
    expect(items[0]?.timeline?.filter((e) => e.event === 'delivery-failed')).toHaveLength(5);
  }, 300_000);
});
