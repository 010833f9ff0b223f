// The whole path in-process: webhook -> queue -> context from the Kubernetes stand-in -> incident -> one Slack message.
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';

const scenarios = new Map(loadScenarios().map((s) => [s.id, s]));
const scenario = (id: string) => {
  const found = scenarios.get(id);
  if (!found) throw new Error(`missing scenario ${id}`);
  return found;
};

type Webhook = {
  alerts: { status: string; endsAt: string; startsAt: string; fingerprint: string }[];
  status: string;
};

function resolvedCopy(webhook: Record<string, unknown>): Webhook {
  const copy = structuredClone(webhook) as unknown as Webhook;
  copy.status = 'resolved';
  for (const alert of copy.alerts) {
    alert.status = 'resolved';
    alert.endsAt = '2026-11-23T09:05:12Z';
  }
  return copy;
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function incidents(): Promise<Incident[]> {
  const response = await getJson(h, '/incidents');
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Incident[] }).items;
}

describe('webhook to Slack', () => {
  it('diagnoses the OOM-killed pod, posts one message with evidence and remediation, and lists the incident', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    const response = await postWebhook(h, oom.webhook);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 1 });
    await h.queue.idle();

    const posts = h.slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.channel).toBe(CHANNEL);
    const text = JSON.stringify(posts[0]?.body.blocks);
    expect(text).toContain('OOMKilled');
    expect(text).toContain('kubectl set resources deployment/checkout-api -n payments -c checkout-api');
    expect(String(posts[0]?.body.text)).toContain('KubePodCrashLooping');

    const [incident] = await incidents();
    expect(incident?.findings[0]?.signatureId).toBe('container-oom-killed');
    // Where the time went, per phase, for the logs and the metrics.
    const timings = h.logs.filter((l) => l.includes('"triage timings"')).map((l) => JSON.parse(l));
    expect(timings).toHaveLength(1);
    expect(timings[0]).toMatchObject({ outcome: 'notified' });
    for (const phase of ['lookup', 'gather', 'playbook', 'diagnose', 'store', 'notify'])
      expect(timings[0][phase]).toBeGreaterThanOrEqual(0);
    expect(incident?.target).toMatchObject({
      namespace: 'payments',
      pod: 'checkout-api-7d9f8c6b5-x2x7q',
      node: 'ip-10-20-3-41.eu-west-1.compute.internal',
    });
    expect(incident?.notifications).toEqual([{ channel: CHANNEL, ts: expect.any(String) }]);
    expect(incident?.unavailable).toEqual([]);
  });

  it('re-sent firing alert posts no second message', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    for (let i = 0; i < 3; i += 1) {
      expect((await postWebhook(h, oom.webhook)).status).toBe(200);
      await h.queue.idle();
    }
    await Promise.all([postWebhook(h, oom.webhook), postWebhook(h, oom.webhook)]);
    await h.queue.idle();
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(await incidents()).toHaveLength(1);
  });

  it('resolve updates the parent message and replies in its thread, once', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const resolved = resolvedCopy(oom.webhook);
    await postWebhook(h, resolved);
    await h.queue.idle();
    await postWebhook(h, resolved);
    await h.queue.idle();

    const parent = h.slack.calls.find((c) => c.method === 'chat.postMessage');
    const updates = h.slack.calls.filter((c) => c.method === 'chat.update');
    const replies = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts);
    expect(updates).toHaveLength(1);
    expect(replies).toHaveLength(1);
    const parentTs = h.slack.messages(CHANNEL).find((m) => !m.thread_ts)?.ts;
    expect(replies[0]?.body.thread_ts).toBe(parentTs);
    expect(String(replies[0]?.body.text)).toContain('Resolved at 2026-11-23T09:05:12Z');
    expect(JSON.stringify(updates[0]?.body.blocks)).toContain('RESOLVED');
    expect(parent).toBeDefined();
    const [incident] = await incidents();
    expect(incident).toMatchObject({ status: 'resolved', endsAt: '2026-11-23T09:05:12Z' });
    expect(incident?.timeline?.map((e) => e.event)).toEqual(['fired', 'diagnosed', 'notified', 'resolved']);
    expect(incident?.timeline?.[1]?.detail).toBe('container-oom-killed (high)');
  });

  it('diagnoses every demo scenario as expected in the shared demo cluster', async () => {
    const all = loadScenarios();
    const { mergeClusters } = await import('../../src/local/cluster/scenarios.js');
    h = await startHarness({ cluster: mergeClusters(all.map((s) => s.cluster)) });
    for (const s of all) expect((await postWebhook(h, s.webhook)).status).toBe(200);
    await h.queue.idle();
    for (const s of all) {
      const first = (s.webhook as unknown as Webhook).alerts[0]!;
      const { incidentId } = await import('../../src/domain/incident.js');
      const incident = (await (await getJson(h, `/incidents/${incidentId(first)}`)).json()) as Incident;
      expect({ id: s.id, top: incident.findings[0]?.signatureId ?? null }).toEqual({
        id: s.id,
        top: (s.expect.inSharedCluster ?? s.expect).signatureId,
      });
      for (const finding of incident.findings) expect(finding.evidence.length).toBeGreaterThan(0);
    }
    // The whole corpus through the real app, store and Slack stand-in: its time grows with the scenarios, and the
    // machine is shared; the guard is sized for the corpus, not for one alert.
  }, 300_000);
});

describe('degraded dependencies', () => {
  it('a cluster answering 500 and 403 still yields a notified incident that says what was unavailable', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    h.k8s.addFault({ path: /\/pods\/checkout-api[^/]*$/, status: 500 });
    h.k8s.addFault({ path: /\/events/, status: 403 });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const [incident] = await incidents();
    expect(incident?.unavailable.join('\n')).toMatch(
      /pod status: get pod payments\/checkout-api-7d9f8c6b5-x2x7q: HTTP 500/,
    );
    expect(incident?.unavailable.join('\n')).toMatch(/pod events: .*HTTP 403/);
    expect(incident?.findings.map((f) => f.signatureId)).not.toContain('container-oom-killed');
  });

  it('a hanging cluster call times out and triage goes on', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster, env: { CLUSTER_CALL_TIMEOUT_MS: '3000' } });
    h.k8s.addFault({ path: /\/services\/.*\/proxy\//, hang: true });
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const [incident] = await incidents();
    expect(incident?.findings[0]?.signatureId).toBe('container-oom-killed');
    expect(incident?.unavailable.join('\n')).toMatch(/Prometheus metrics: .*timed out after 3000 ms/);
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('Slack failing beyond its retries is retried by the queue and still ends in exactly one message', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    h.slack.script(
      'chat.postMessage',
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const stored = h.slack.messages(CHANNEL);
    expect(stored).toHaveLength(1);
    expect(h.queue.deadLetters).toEqual([]);
    const [incident] = await incidents();
    expect(incident?.notifications).toHaveLength(1);
  });
});

describe('recurrence', () => {
  it('notes that the same signature hit the same workload before', async () => {
    const oom = scenario('oom-checkout-api');
    h = await startHarness({ cluster: oom.cluster });
    const again = structuredClone(oom.webhook) as unknown as Webhook;
    again.alerts[0]!.startsAt = '2026-11-23T10:00:00Z';
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    await postWebhook(h, again);
    await h.queue.idle();
    const [latest, first] = await incidents();
    expect(first?.findings[0]?.recurrence).toBeUndefined();
    expect(latest?.findings[0]?.recurrence).toEqual({ count: 1, lastAt: first?.startsAt });
    const second = h.slack.calls.filter((c) => c.method === 'chat.postMessage')[1];
    expect(JSON.stringify(second?.body.blocks)).toContain('Seen before');
  });

  it('with no signature matched, the message and the incident say what was observed', async () => {
    const negative = scenario('negative-pending-just-created');
    h = await startHarness({ cluster: negative.cluster });
    await postWebhook(h, negative.webhook);
    await h.queue.idle();
    const [incident] = await incidents();
    expect(incident?.findings).toEqual([]);
    expect(incident?.observed).toEqual(
      expect.arrayContaining([expect.stringContaining('pod phase Pending')]),
    );
    const blocks = JSON.stringify(h.slack.calls.find((c) => c.method === 'chat.postMessage')?.body.blocks);
    expect(blocks).toContain('What was observed');
    expect(blocks).toContain('pod phase Pending');
  });
});
