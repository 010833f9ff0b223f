// Buttons on triage messages, in-process: signed press -> 200 at once -> queue -> store, Slack message and thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import type { SignatureStats } from '../../src/domain/verdict-stats.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';
import { answerTo, postCommand } from '../support/slack-command.js';
import { payloadOf, press, pressRequest, sendInteraction, signed } from '../support/slack-interaction.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;

let h: Harness;
let incident: Incident;

beforeAll(async () => {
  // Alertmanager is "down": nothing listens on port 9 of loopback.
  h = await startHarness({
    cluster: oom.cluster,
    env: {
      ALERTMANAGER_URL: 'http://127.0.0.1:9',
      SLACK_TEAM_IDS: 'T0EXAMPLE1',
      SLACK_USER_IDS: 'U0ONCALL01,U0OTHER001',
    },
  });
  // Fired a few minutes ago, so the default stats windows (which end now) hold it whatever the date.
  const webhook = structuredClone(oom.webhook) as { alerts: { startsAt: string }[] };
  for (const alert of webhook.alerts) alert.startsAt = new Date(Date.now() - 16 * 60_000).toISOString();
  expect((await postWebhook(h, webhook)).status).toBe(200);
  await h.queue.idle();
  const page = await h.store.list({ limit: 5 });
  expect(page.items).toHaveLength(1);
  incident = page.items[0]!;
});
afterAll(async () => {
  await h?.close();
});

const current = async () => (await h.store.get(incident.id))!;
const parent = () => h.slack.messages(CHANNEL).find((m) => !m.thread_ts)!;
const thread = () => h.slack.messages(CHANNEL).filter((m) => m.thread_ts);
const answersTo = (id: string) =>
  h.slack.responses.filter((r) => r.id === id).map((r) => String(r.body.text));

describe('the message carries the buttons', () => {
  it('has Acknowledge, Silence 1 h / 4 h / 24 h, Re-run, Right and Wrong, each carrying the incident id', () => {
    const actions = (
      parent().blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => e.action_id)).toEqual([
      'triage_ack',
      'triage_silence_1h',
      'triage_silence_4h',
      'triage_silence_24h',
      'triage_rerun',
      'triage_right',
      'triage_wrong',
    ]);
    expect(new Set(actions?.elements?.map((e) => e.value))).toEqual(new Set([incident.id]));
  });
});

describe('acknowledge', () => {
  it('answers 200 with no body, records who and when, updates the message and says it in the thread', async () => {
    const response = await press(h, { actionId: 'triage_ack', value: incident.id }, 'ack');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await h.queue.idle();
    const stored = await current();
    expect(stored.acknowledged?.by).toBe('U0ONCALL01');
    expect(stored.timeline?.map((e) => e.event)).toContain('acknowledged');
    expect(JSON.stringify(parent().blocks)).toContain('Acknowledged by <@U0ONCALL01>');
    expect(JSON.stringify(parent().blocks)).not.toContain('triage_ack');
    expect(thread().at(-1)?.text).toMatch(/^Acknowledged by <@U0ONCALL01> at \d\d:\d\d UTC\.$/);
  });

  it('is found by the history filter acknowledged=true, and not by acknowledged=false', async () => {
    const yes = (await (await getJson(h, '/incidents?acknowledged=true')).json()) as { items: Incident[] };
    const no = (await (await getJson(h, '/incidents?acknowledged=false')).json()) as { items: Incident[] };
    expect(yes.items.map((i) => i.id)).toEqual([incident.id]);
    expect(no.items).toEqual([]);
  });

  it('a second press changes nothing and says who acknowledged it', async () => {
    const before = await current();
    await press(h, { actionId: 'triage_ack', value: incident.id, user: 'U0OTHER001' }, 'ack-again');
    await h.queue.idle();
    expect((await current()).acknowledged).toEqual(before.acknowledged);
    expect(answersTo('ack-again')).toEqual([
      expect.stringContaining('Already acknowledged by <@U0ONCALL01>'),
    ]);
  });
});

describe('silence with Alertmanager down', () => {
  it('says the silence failed in the thread and to the user, and records nothing as silenced', async () => {
    const updates = h.slack.calls.filter((c) => c.method === 'chat.update').length;
    await press(h, { actionId: 'triage_silence_4h', value: incident.id }, 'silence-down');
    await h.queue.idle();
    expect((await current()).silence).toBeUndefined();
    expect((await current()).timeline?.map((e) => e.event)).not.toContain('silenced');
    expect(answersTo('silence-down')).toEqual([
      expect.stringMatching(/^The silence failed: Alertmanager .*Nothing was silenced\.$/),
    ]);
    expect(thread().at(-1)?.text).toContain('silence asked for by <@U0ONCALL01> failed');
    expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(updates);
  });
});

describe('right, wrong and what it was', () => {
  it('stores the verdict with who said it, and the menu value as what it was', async () => {
    await press(h, { actionId: 'triage_wrong', value: incident.id }, 'wrong');
    await h.queue.idle();
    expect((await current()).verdict).toMatchObject({ verdict: 'wrong', by: 'U0ONCALL01' });
    const blocks = JSON.stringify(parent().blocks);
    expect(blocks).toContain('triage_actual_signature');
    expect(blocks).toContain(`triage_verdict:${incident.id}`);

    await press(
      h,
      {
        actionId: 'triage_actual_signature',
        blockId: `triage_verdict:${incident.id}`,
        selected: 'liveness-probe-kill',
      },
      'actual',
    );
    await h.queue.idle();
    expect((await current()).verdict).toMatchObject({
      verdict: 'wrong',
      actual: { signatureId: 'liveness-probe-kill' },
    });
    expect(thread().at(-1)?.text).toContain('it was `liveness-probe-kill`');
  });

  it('GET /stats/signatures counts it: one incident led, marked wrong, precision 0', async () => {
    const response = await getJson(h, '/stats/signatures');
    expect(response.status).toBe(200);
    const stats = (await response.json()) as SignatureStats;
    expect(stats.bySignature).toEqual([
      { key: 'container-oom-killed', incidents: 1, right: 0, wrong: 1, precision: 0 },
    ]);
    expect(stats.byAlertname).toEqual([
      { key: incident.alertname, incidents: 1, right: 0, wrong: 1, precision: 0 },
    ]);
    expect((await getJson(h, '/stats/signatures', 'wrong-token')).status).toBe(401);
  });

  it('the same verdict from the same person again changes nothing and says so', async () => {
    await press(h, { actionId: 'triage_wrong', value: incident.id }, 'wrong-again');
    await h.queue.idle();
    expect(answersTo('wrong-again')).toEqual(['You already marked this diagnosis wrong.']);
    expect((await current()).verdict?.actual).toEqual({ signatureId: 'liveness-probe-kill' });
  });

  it('Right replaces the verdict and precision becomes 1', async () => {
    await press(h, { actionId: 'triage_right', value: incident.id }, 'right');
    await h.queue.idle();
    const stats = (await (await getJson(h, '/stats/signatures')).json()) as SignatureStats;
    expect(stats.bySignature[0]).toMatchObject({ right: 1, wrong: 0, precision: 1 });
  });
});

describe('/triage stats', () => {
  it('shows the same counts in Slack', async () => {
    expect((await postCommand(h, 'stats days=30', 'stats')).status).toBe(200);
    const { text } = await answerTo(h, 'stats');
    expect(text).toContain('container-oom-killed: 1 incidents, 1 right, 0 wrong, precision 100%');
  });

  it('refuses a window it cannot read', async () => {
    const response = await postCommand(h, 'stats days=365', 'stats-bad');
    expect(JSON.stringify(await response.json())).toContain('stats takes one optional days=1-90');
  });
});

describe('re-run', () => {
  it('diagnoses again and says in the thread that the diagnosis is the same', async () => {
    await press(h, { actionId: 'triage_rerun', value: incident.id }, 'rerun');
    await h.queue.idle();
    expect(thread().at(-1)?.text).toMatch(
      /^Re-run by <@U0ONCALL01> at .*\nSame diagnosis as the first time: .*container-oom-killed/,
    );
    expect((await current()).timeline?.at(-1)?.event).toBe('rerun');
  });
});

describe('a press on a message at Block Kit limits', () => {
  it('is accepted: the payload carries the whole message, escaped twice', async () => {
    const payload = payloadOf({
      actionId: 'triage_right',
      value: incident.id,
      responseUrl: h.slack.responseUrl('big'),
    });
    const text = '<&>"\\ '.repeat(500).slice(0, 3000);
    payload.message = {
      ts: '1795423262.000200',
      blocks: Array.from({ length: 50 }, () => ({ type: 'section', text: { type: 'mrkdwn', text } })),
    };
    const request = signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(request.body.length).toBeGreaterThan(256 * 1024);
    expect((await sendInteraction(h, request)).status).toBe(200);
    await h.queue.idle();
    expect((await current()).verdict?.verdict).toBe('right');
  });
});

describe('re-run when the cluster changed', () => {
  it('says what changed: the pod can no longer be read, so the diagnosis changed', async () => {
    h.k8s.addFault({ path: /\/pods\/checkout-api[^/]*(\/log)?$/, status: 500 });
    try {
      await press(h, { actionId: 'triage_rerun', value: incident.id }, 'rerun-changed');
      await h.queue.idle();
    } finally {
      h.k8s.clearFaults();
    }
    const reply = thread().at(-1)?.text ?? '';
    expect(reply).toContain('The diagnosis changed: was ');
    expect(reply).toMatch(
      /• Could not read now: pod status: get pod payments\/checkout-api-[a-z0-9-]+: HTTP 500/,
    );
    // The incident keeps the diagnosis it was reported with.
    expect((await current()).findings[0]?.signatureId).toBe('container-oom-killed');
  });
});

describe('refusals: a clear answer and no side effect', () => {
  const unchanged = async (run: () => Promise<void>) => {
    await h.queue.idle();
    const before = JSON.stringify(await current());
    const calls = h.slack.calls.length;
    await run();
    await h.queue.idle();
    expect(JSON.stringify(await current())).toBe(before);
    expect(h.slack.calls.length).toBe(calls);
  };

  it('a wrong signature is 401', async () =>
    unchanged(async () => {
      const request = pressRequest({
        actionId: 'triage_ack',
        value: incident.id,
        responseUrl: h.slack.responseUrl('x'),
        secret: 'not-the-secret',
      });
      const response = await sendInteraction(h, request);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    }));

  it('a stale timestamp is 401', async () =>
    unchanged(async () => {
      const request = pressRequest({
        actionId: 'triage_unsilence',
        value: incident.id,
        responseUrl: h.slack.responseUrl('stale'),
        timestamp: Math.floor(Date.now() / 1000) - 301,
      });
      const response = await sendInteraction(h, request);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        '5 minutes',
      );
    }));

  it('the same signed request sent twice is acted on once; the replay is 401', async () => {
    const request = pressRequest({
      actionId: 'triage_wrong',
      value: incident.id,
      responseUrl: h.slack.responseUrl('replay'),
    });
    expect((await sendInteraction(h, request)).status).toBe(200);
    await h.queue.idle();
    await unchanged(async () => {
      const again = await sendInteraction(h, request);
      expect(again.status).toBe(401);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('replayed_request');
    });
  });

  it('an unknown action id is answered ephemerally and does nothing', async () =>
    unchanged(async () => {
      expect(
        (await press(h, { actionId: 'triage_delete_cluster', value: incident.id }, 'unknown-action')).status,
      ).toBe(200);
      expect(answersTo('unknown-action')).toEqual([expect.stringContaining('I do not know that button')]);
    }));

  it('a workspace outside the allow-list is refused ephemerally', async () =>
    unchanged(async () => {
      expect(
        (await press(h, { actionId: 'triage_ack', value: incident.id, team: 'T0ELSEWHERE' }, 'other-team'))
          .status,
      ).toBe(200);
      expect(answersTo('other-team')).toEqual([expect.stringContaining('not allowed to act')]);
    }));

  it('a user outside the allow-list is refused ephemerally', async () =>
    unchanged(async () => {
      const response = await press(
        h,
        { actionId: 'triage_unsilence', value: incident.id, user: 'U0STRANGER1' },
        'stranger',
      );
      expect(response.status).toBe(200);
      expect(answersTo('stranger')).toEqual([
        expect.stringContaining('you are not on the list of users allowed to act'),
      ]);
    }));

  it('an incident that does not exist is answered ephemerally', async () =>
    unchanged(async () => {
      expect(
        (
          await press(
            h,
            { actionId: 'triage_ack', value: 'ffffffffffffffff-20990101T000000000Z' },
            'no-incident',
          )
        ).status,
      ).toBe(200);
      expect(answersTo('no-incident')).toEqual([
        expect.stringContaining('There is no incident ffffffffffffffff-20990101T000000000Z'),
      ]);
    }));

  it('a payload that is not JSON is 400', async () =>
    unchanged(async () => {
      const response = await sendInteraction(h, signed('payload=%7Bnot-json'));
      expect(response.status).toBe(400);
    }));
});
