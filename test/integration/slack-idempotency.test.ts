// Slack has no idempotency key: a post whose answer was lost, or a worker that died after posting, must not
// produce a second message. Messages carry the incident id as metadata; a retry looks for it first.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Incident } from '../../src/domain/incident.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { buildThreadIndex } from '../../src/stores.js';
import { notifyOnce } from '../../src/triage/notify.js';
import { buildNotifier } from '../../src/wiring.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';
import { memoryLogger } from '../support/memory-logger.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
let h: Harness;
afterEach(async () => h?.close());

async function onlyIncident(): Promise<Incident> {
  const page = (await (await getJson(h, '/incidents')).json()) as { items: Incident[] };
  expect(page.items).toHaveLength(1);
  return page.items[0]!;
}

const posts = () => h.slack.calls.filter((c) => c.method === 'chat.postMessage');

describe('exactly one Slack message when answers are lost', () => {
  it('Slack posted but answered 500: the retry finds the message by its metadata and posts nothing', async () => {
    h = await startHarness({ cluster: oom.cluster });
    h.slack.script('chat.postMessage', { status: 500, applied: true });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();

    const messages = h.slack.messages(CHANNEL);
    expect(messages).toHaveLength(1);
    expect(posts()).toHaveLength(1);
    expect(h.slack.calls.some((c) => c.method === 'conversations.history')).toBe(true);
    const incident = await onlyIncident();
    expect(incident.notifications).toEqual([{ channel: CHANNEL, ts: messages[0]!.ts }]);
    expect(messages[0]!.metadata).toEqual({
      event_type: 'alert_triage_incident',
      event_payload: { incident_id: incident.id },
    });
  });

  it('a worker that died after posting: the next attempt, after the lease, adopts the message', async () => {
    h = await startHarness({ cluster: oom.cluster });
    // The first attempt posts, then its worker dies before recording: Slack answers, the store never hears.
    h.slack.script('chat.postMessage', { hang: true, applied: true });
    const config = loadConfig(h.env, 'local');
    const { log, lines } = memoryLogger([]);
    const notifier = buildNotifier({ ...config, slackPostIntervalMs: 0 }, log);
    await postWebhook(h, {
      ...oom.webhook,
    });
    // The hanging post keeps the first attempt busy; wait for Slack to have stored the message.
    await h.slack.waitForCalls(1, 10_000);
    const posted = h.slack.messages(CHANNEL);
    expect(posted).toHaveLength(1);
    const incident = await onlyIncident();
    expect(incident.notifications).toEqual([]);

    // Two minutes later (the 60 s lease has expired) a redelivery takes over.
    const later = () => new Date(Date.now() + 120_000);
    const deps = { store: h.store, notifier, threads: buildThreadIndex(config, h.dynamo.client) };
    expect(await notifyOnce(incident, deps, log, later)).toBe('notified');
    expect(h.slack.messages(CHANNEL)).toHaveLength(1);
    expect((await h.store.get(incident.id))?.notifications).toEqual([
      { channel: CHANNEL, ts: posted[0]!.ts },
    ]);
    expect(lines.some((l) => l.includes('an earlier attempt had posted this incident'))).toBe(true);
  });

  it('without the history scope it degrades to posting again, and says so', async () => {
    h = await startHarness({ cluster: oom.cluster });
    h.slack.script('conversations.history', { ok: false, error: 'missing_scope' });
    h.slack.script('chat.postMessage', { status: 500, applied: true });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    expect(h.slack.messages(CHANNEL)).toHaveLength(2);
    expect(h.logs.some((l) => l.includes('could not look for an earlier Slack post'))).toBe(true);
    expect((await onlyIncident()).notifications).toHaveLength(1);
  });
});
