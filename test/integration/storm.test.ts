// A 200-alert group is one summary message with details in its thread, at most 10 Slack calls, never repeated.
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { loadScenarios, mergeClusters } from '../../src/standins/scenarios.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';

type Alert = {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
};

const scenarios = loadScenarios();
let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The first alert of every pod scenario, padded with alerts for pods that no longer exist, in one group. */
function stormWebhook(size: number): Record<string, unknown> {
  const real = scenarios
    .map((s) => (s.webhook as { alerts: Alert[] }).alerts[0]!)
    .filter((a) => a.labels.pod && a.labels.job === 'kube-state-metrics');
  const alerts: Alert[] = [];
  for (let i = 0; alerts.length < size; i += 1) {
    const base = real[i % real.length]!;
    const ghost = i >= real.length;
    alerts.push({
      ...base,
      labels: ghost ? { ...base.labels, pod: `${base.labels.pod}-gone-${i}` } : base.labels,
      fingerprint: ghost ? `f${String(i).padStart(15, '0')}` : base.fingerprint,
    });
  }
  return {
    version: '4',
    groupKey: '{}:{cluster="prod"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'alert-triage',
    groupLabels: { cluster: 'prod' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts,
  };
}

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
  }, 120_000);

  it('small groups are not storms: each alert gets its own message', async () => {
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    await postWebhook(h, stormWebhook(3));
    await h.queue.idle();
    expect(h.slack.messages(CHANNEL).filter((m) => !m.thread_ts).length).toBeGreaterThanOrEqual(1);
    expect(h.slack.calls.every((c) => !String(c.body.text).startsWith('Alert storm'))).toBe(true);
  });
});
