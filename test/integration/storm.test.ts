// A 200-alert group is one summary message with details in its thread, at most 10 Slack calls, never repeated.
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { loadScenarios, mergeClusters } from '../../src/local/cluster/scenarios.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';
import { type Alert, stormWebhook as storms } from '../support/storm-webhook.js';

const scenarios = loadScenarios();
let h: Harness;
afterEach(async () => {
  await h?.close();
});

const stormWebhook = (size: number) => storms(scenarios, size);

describe('alert storms', () => {
  it('a 200-alert group costs at most 10 Slack calls and every incident points at the storm thread', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    const webhook = stormWebhook(200);
    expect(await (await postWebhook(h, webhook)).json()).toEqual({ accepted: 200 });
    await h.queue.idle();

    expect(h.slack.calls.length).toBeGreaterThan(1);
    expect(h.slack.calls.length).toBeLessThanOrEqual(10);
    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    expect(parents[0]?.text).toContain('200 new alerts');

    let cursor: string | null = null;
    const seen: Incident[] = [];
    do {
      const page = (await (
        await getJson(h, `/incidents?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      ).json()) as {
        items: Incident[];
        nextCursor: string | null;
      };
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(200);
    expect(seen.every((i) => i.notifications[0]?.threadTs === parents[0]?.ts)).toBe(true);

    // Alertmanager re-sends the same group: nothing new is posted.
    const calls = h.slack.calls.length;
    await postWebhook(h, webhook);
    await h.queue.idle();
    expect(h.slack.calls.length).toBe(calls);
  }, 300_000);

  it('a new alert re-sent with 14 standing ones gets its own message, not a one-line storm', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    const standing = stormWebhook(14);
    await postWebhook(h, standing);
    await h.queue.idle();
    const before = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts).length;

    const grown = stormWebhook(15);
    await postWebhook(h, grown);
    await h.queue.idle();
    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(before + 1);
    const added = parents.at(-1);
    expect(added?.text).not.toMatch(/^Alert storm/);
    expect(String(added?.text)).toContain(((grown.alerts as Alert[])[14] as Alert).labels.pod);
  }, 300_000);

  it('a new critical alert in a storm gets its own message with its diagnosis; the storm lists the rest', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    const webhook = stormWebhook(8);
    const alerts = webhook.alerts as Alert[];
    const critical = alerts[0] as Alert;
    critical.labels = { ...critical.labels, severity: 'critical' };
    await postWebhook(h, webhook);
    await h.queue.idle();

    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    const storms = parents.filter((m) => String(m.text).startsWith('Alert storm'));
    const alone = parents.filter((m) => !String(m.text).startsWith('Alert storm'));
    expect(storms).toHaveLength(1);
    expect(storms[0]?.text).toContain('7 new alerts');
    expect(alone).toHaveLength(1);
    expect(String(alone[0]?.text)).toContain(critical.labels.pod);
    expect(String(alone[0]?.text)).toMatch(/CRITICAL/);

    // Re-sent: nothing new.
    const calls = h.slack.calls.length;
    await postWebhook(h, webhook);
    await h.queue.idle();
    expect(h.slack.calls.length).toBe(calls);
  }, 300_000);

  it('kube-prometheus default grouping: a new critical node alert among 14 standing ones in namespace=monitoring gets its own diagnosis', async () => {
    const inodes = scenarios.find((x) => x.id === 'node-inodes-exhausted')!;
    h = await startHarness({ cluster: inodes.cluster });
    const critical = (inodes.webhook as { alerts: Alert[] }).alerts[0]!;
    // Standing node-exporter alerts of other nodes: same group (namespace="monitoring"), reported before.
    const standing: Alert[] = Array.from({ length: 14 }, (_, i) => ({
      ...critical,
      labels: {
        ...critical.labels,
        alertname: 'NodeCPUHighUsage',
        severity: 'info',
        instance: `ip-10-40-20-${i + 10}.eu-west-1.compute.internal`,
        mountpoint: '',
        device: '',
      },
      fingerprint: `s${String(i).padStart(15, '0')}`,
    }));
    const group = (alerts: Alert[]) => ({
      version: '4',
      groupKey: '{}:{namespace="monitoring"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'alert-triage',
      groupLabels: { namespace: 'monitoring' },
      commonLabels: { namespace: 'monitoring', job: 'node-exporter' },
      commonAnnotations: {},
      externalURL: 'http://127.0.0.1:9093',
      alerts,
    });
    await postWebhook(h, group(standing));
    await h.queue.idle();
    const before = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts).length;

    await postWebhook(h, group([...standing, critical]));
    await h.queue.idle();
    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(before + 1);
    const own = String(parents.at(-1)?.text);
    expect(own).not.toMatch(/^Alert storm/);
    expect(own).toContain(`node ${critical.labels.instance}`);
    expect(own).toContain('CRITICAL');
    const incident = (await (
      await getJson(h, `/incidents?alertname=NodeFilesystemFilesFillingUp&limit=1`)
    ).json()) as { items: Incident[] };
    expect(incident.items[0]?.findings[0]?.signatureId).toBe('node-inodes-exhausted');
  }, 300_000);

  it('small groups are not storms: each alert gets its own message', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    await postWebhook(h, stormWebhook(3));
    await h.queue.idle();
    expect(h.slack.messages(CHANNEL).filter((m) => !m.thread_ts).length).toBeGreaterThanOrEqual(1);
    expect(h.slack.calls.every((c) => !String(c.body.text).startsWith('Alert storm'))).toBe(true);
  });

  it('a storm that resolves is told once in its thread, when its last alert resolves; re-sends add nothing', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    const webhook = stormWebhook(6) as { alerts: Alert[]; status: string };
    await postWebhook(h, webhook);
    await h.queue.idle();
    const parent = h.slack.messages(CHANNEL).find((m) => !m.thread_ts)!;
    const afterFiring = h.slack.calls.length;

    const resolvedAt = '2026-11-23T09:30:00Z';
    const resolve = (alerts: Alert[]) => ({
      ...webhook,
      status: 'resolved',
      alerts: alerts.map((a) => ({ ...a, status: 'resolved', endsAt: resolvedAt })),
    });
    // Alertmanager reports resolves as they happen: first two of the six, then the rest.
    await postWebhook(h, resolve(webhook.alerts.slice(0, 2)));
    await h.queue.idle();
    expect(h.slack.calls.length).toBe(afterFiring);
    await postWebhook(h, resolve(webhook.alerts.slice(2)));
    await h.queue.idle();
    await postWebhook(h, resolve(webhook.alerts));
    await h.queue.idle();

    const newCalls = h.slack.calls.slice(afterFiring);
    expect(newCalls.map((c) => c.method)).toEqual(['chat.update', 'chat.postMessage']);
    expect(newCalls[1]).toMatchObject({ body: { thread_ts: parent.ts } });
    expect(String(newCalls[1]?.body.text)).toContain('All 6 alerts of this storm have resolved');
    // The summary itself now says so, and still counts what it counted.
    const summary = h.slack.messages(CHANNEL).find((m) => m.ts === parent.ts)!;
    expect(summary.text).toMatch(/^\[RESOLVED\] Alert storm: 6 new alerts/);
    expect(JSON.stringify(summary.blocks)).toContain(':white_check_mark: [RESOLVED] Alert storm');
    const page = (await (await getJson(h, '/incidents?limit=10')).json()) as { items: Incident[] };
    expect(page.items.map((i) => i.status)).toEqual(Array(6).fill('resolved'));
  });

  it('a failed storm-resolved post is retried by the queue and still arrives once', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)), queueDelayMs: 1 });
    const webhook = stormWebhook(5) as { alerts: Alert[]; status: string };
    await postWebhook(h, webhook);
    await h.queue.idle();
    const afterFiring = h.slack.calls.length;
    h.slack.script('chat.postMessage', { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await postWebhook(h, {
      ...webhook,
      status: 'resolved',
      alerts: webhook.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2026-11-23T09:30:00Z' })),
    });
    await h.queue.idle();
    const answered = h.slack.calls
      .slice(afterFiring)
      .filter((c) => c.method === 'chat.postMessage' && c.answeredStatus === 200);
    expect(answered).toHaveLength(1);
    expect(String(answered[0]?.body.text)).toContain('All 5 alerts of this storm have resolved');
  });

  it('a storm report that failed halfway is finished by the retry without a second summary', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)), queueDelayMs: 1 });
    // The summary lands; the first diagnosis reply then fails on every try, so the report is retried.
    h.slack.script(
      'chat.postMessage',
      { pass: true },
      ...Array.from({ length: 4 }, () => ({ status: 500 as const })),
    );
    await postWebhook(h, stormWebhook(6));
    await h.queue.idle();

    const parents = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    const replies = h.slack.messages(CHANNEL).filter((m) => m.thread_ts === parents[0]!.ts);
    const diagnoses = new Set(replies.map((r) => r.text));
    expect(replies.length).toBe(diagnoses.size);
    expect(replies.length).toBeGreaterThan(0);
    expect(h.slack.calls.some((c) => c.method === 'conversations.history')).toBe(true);
  });
});

describe('acknowledging a storm', () => {
  it('"Acknowledge all" on the summary acknowledges every incident of the storm and says so in its thread', async () => {
    const { press } = await import('../support/slack-interaction.js');
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    await postWebhook(h, stormWebhook(12));
    await h.queue.idle();
    const summary = h.slack.messages(CHANNEL).find((m) => !m.thread_ts)!;
    const button = (summary.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .find((b) => b.type === 'actions')
      ?.elements?.find((e) => e.action_id === 'triage_storm_ack');
    expect(button?.value).toMatch(/^[0-9a-f]{24}$/);

    // A member acknowledged on its own first keeps that acknowledgement; its summary is not rewritten as its message.
    const [first] = (await h.store.list({ limit: 1 })).items;
    expect(
      (await press(h, { actionId: 'triage_ack', value: first!.id, user: 'U0OTHER001' }, 'one')).status,
    ).toBe(200);
    await h.queue.idle();

    const response = await press(
      h,
      { actionId: 'triage_storm_ack', value: button!.value, messageTs: summary.ts },
      'storm',
    );
    expect(response.status).toBe(200);
    await h.queue.idle();
    const incidents = (await h.store.list({ limit: 50 })).items;
    expect(incidents).toHaveLength(12);
    expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toEqual([]);
    expect(incidents.filter((i) => i.acknowledged?.by === 'U0ONCALL01')).toHaveLength(11);
    expect(incidents.find((i) => i.id === first!.id)?.acknowledged?.by).toBe('U0OTHER001');
    const reply = h.slack
      .messages(CHANNEL)
      .filter((m) => m.thread_ts === summary.ts)
      .at(-1);
    expect(reply?.text).toMatch(
      /^Acknowledged by <@U0ONCALL01> at \d\d:\d\d UTC: 11 incident\(s\) of this storm \(1 were already acknowledged\)\.$/,
    );
  });
});
