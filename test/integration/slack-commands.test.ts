// /triage end to end in-process: signed request -> immediate answer -> queue -> cluster, store -> response_url.
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/signature.js';
import { createApp } from '../../src/http/app.js';
import { loadScenarios, mergeClusters } from '../../src/local/cluster/scenarios.js';
import { alert, context } from '../support/contexts.js';
import { API_TOKEN, type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { incidentOf } from '../support/incidents.js';
import { memoryLogger } from '../support/memory-logger.js';
import { answerTo, postCommand, send, slashCommand } from '../support/slack-command.js';

const scenarios = new Map(loadScenarios().map((s) => [s.id, s]));
const cluster = (id: string) => {
  const found = scenarios.get(id);
  if (!found) throw new Error(`missing scenario ${id}`);
  return found.cluster;
};

const POD = 'payments/checkout-api-7d9f8c6b5-x2x7q';
const CONNTRACK_NODE = 'ip-10-20-6-58.eu-west-1.compute.internal';

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(0);
  return { status: response.status, code: body.error.code };
}

async function ephemeral(response: Response): Promise<{ text: string; blocks: string }> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as { response_type: string; text: string; blocks?: unknown };
  expect(body.response_type).toBe('ephemeral');
  return { text: body.text, blocks: JSON.stringify(body.blocks ?? []) };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    cluster: mergeClusters([cluster('oom-checkout-api'), cluster('node-conntrack-alert')]),
  });
});
afterAll(async () => {
  await h?.close();
});

describe('POST /slack/commands: pod and node triage on demand', () => {
  it('answers a signed /triage pod at once, then posts the diagnosis to response_url', async () => {
    const response = await postCommand(h, `pod ${POD}`, 'pod-oom');
    expect(await response.json()).toEqual({
      response_type: 'ephemeral',
      text: `Looking at ${POD}… I'll answer here shortly.`,
    });
    expect(response.status).toBe(200);
    // Slack's contract is 3 s: the ack does no cluster or store work (its latency is in `npm run bench`).

    const [posted] = await h.slack.waitForResponses(1);
    expect(posted?.id).toBe('pod-oom');
    const body = posted?.body as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('container-oom-killed');
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain('container-oom-killed');
    expect(blocks).toContain('OOMKilled');
    expect(blocks).toContain('*What to do*\\n1. ');
    expect(blocks).toContain('kubectl set resources deployment/checkout-api -n payments -c checkout-api');
    expect(body.blocks.length).toBeLessThanOrEqual(50);
  });

  it('records no incident and posts nothing to the channel', async () => {
    await h.queue.idle();
    expect(await h.store.list({ limit: 10 })).toEqual({ items: [], nextCursor: null });
    expect(h.slack.calls).toEqual([]);
  });

  it('takes a bare namespace/pod, as Slack sends the reference request', async () => {
    const answer = await ephemeral(await postCommand(h, POD, 'pod-bare'));
    expect(answer.text).toBe(`Looking at ${POD}… I'll answer here shortly.`);
    expect((await answerTo(h, 'pod-bare')).text).toContain('container-oom-killed');
  });

  it('diagnoses a node', async () => {
    await ephemeral(await postCommand(h, `node ${CONNTRACK_NODE}`, 'node-conntrack'));
    const answer = await answerTo(h, 'node-conntrack');
    expect(answer.text).toContain('conntrack-table-full');
    expect(answer.blocks).toContain(`Triage of node ${CONNTRACK_NODE}`);
  });

  it('says so when the pod or node does not exist', async () => {
    await ephemeral(await postCommand(h, 'pod payments/checkout-api-gone', 'pod-gone'));
    const pod = await answerTo(h, 'pod-gone');
    expect(pod.text).toContain('There is no pod payments/checkout-api-gone in the cluster');
    await ephemeral(await postCommand(h, 'node ip-10-0-0-1.nowhere', 'node-gone'));
    expect((await answerTo(h, 'node-gone')).text).toContain('There is no node ip-10-0-0-1.nowhere');
  });
});

describe('POST /slack/commands: answered at once, nothing queued', () => {
  it('help, empty text and unknown words get the command list', async () => {
    const before = h.slack.responses.length;
    for (const text of ['help', '']) {
      const answer = await ephemeral(await postCommand(h, text, 'help'));
      expect(answer.text).toContain('/triage pod &lt;namespace&gt;/&lt;pod&gt;');
      expect(answer.blocks).toContain('/triage incidents [status=firing|resolved]');
    }
    const unknown = await ephemeral(await postCommand(h, 'frobnicate everything', 'unknown'));
    expect(unknown.text).toMatch(/^I don't know `frobnicate`/);
    expect(unknown.text).toContain('/triage playbooks');
    await h.queue.idle();
    expect(h.slack.responses.length).toBe(before);
  });

  it('bad input gets a clear error with the usage line', async () => {
    const answer = await ephemeral(await postCommand(h, 'incidents status=burning', 'bad'));
    expect(answer.text).toContain('`burning` is not a status (firing or resolved).');
    expect(answer.text).toContain('Usage: /triage incidents [status=firing|resolved]');
    expect(answer.blocks).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('POST /slack/commands: only Slack gets in', () => {
  const text = `pod ${POD}`;
  const now = () => Math.floor(Date.now() / 1000);
  const signed = () => slashCommand(text, { responseUrl: h.slack.responseUrl('refused') });

  it.each([
    [
      'no signature headers',
      () => ({ ...signed(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ],
    [
      'a wrong secret',
      () => slashCommand(text, { responseUrl: h.slack.responseUrl('refused'), secret: 'not-the-secret' }),
    ],
    [
      'a stale timestamp (301 s old)',
      () => slashCommand(text, { responseUrl: h.slack.responseUrl('refused'), timestamp: now() - 301 }),
    ],
    [
      'a future timestamp (301 s ahead)',
      () => slashCommand(text, { responseUrl: h.slack.responseUrl('refused'), timestamp: now() + 301 }),
    ],
    [
      'a tampered body',
      () => {
        const r = signed();
        return { ...r, body: r.body.replace('x2x7q', 'x2x7r') };
      },
    ],
    [
      'the old signature with a new timestamp (replay)',
      () => {
        const old = slashCommand(text, {
          responseUrl: h.slack.responseUrl('refused'),
          timestamp: now() - 400,
        });
        return { ...old, headers: { ...old.headers, 'x-slack-request-timestamp': String(now()) } };
      },
    ],
    [
      'uppercase hex',
      () => {
        const r = signed();
        const signature = r.headers['x-slack-signature']!;
        return {
          ...r,
          headers: { ...r.headers, 'x-slack-signature': `v0=${signature.slice(3).toUpperCase()}` },
        };
      },
    ],
    [
      'a malformed timestamp',
      () => {
        const r = signed();
        return { ...r, headers: { ...r.headers, 'x-slack-request-timestamp': 'yesterday' } };
      },
    ],
  ])('401 for %s', async (_, request) => {
    expect(await errorOf(await send(h, request()))).toEqual({ status: 401, code: 'invalid_signature' });
  });

  it('posted nothing and queued nothing for any refused request', async () => {
    await h.queue.idle();
    expect(h.slack.responses.filter((r) => r.id === 'refused')).toEqual([]);
    expect(h.logs.join('\n')).not.toContain(SIGNING_SECRET);
  });

  it('refuses every request when no signing secret is configured', async () => {
    const app = createApp({
      webhookToken: undefined,
      apiToken: undefined,
      queue: h.queue,
      store: h.store,
      playbooks: { entries: async () => [], put: async () => {}, remove: async () => false },
      builtIns: [],
      log: memoryLogger().log,
    });
    const request = signed();
    const response = await app.request('/slack/commands', { method: 'POST', ...request });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(401);
    expect(body.error).toEqual({
      code: 'slack_not_configured',
      message: 'SLACK_SIGNING_SECRET is not configured, so slash commands are refused',
    });
  });

  it.each([
    ['a foreign host', 'https://evil.example/commands/T1/2/3'],
    ['a look-alike of hooks.slack.com', 'https://hooks.slack.com.evil.example/commands/T1/2/3'],
    ['plain http to hooks.slack.com', 'http://hooks.slack.com/commands/T1/2/3'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
  ])('refuses a signed command whose response_url is on %s, and posts nothing', async (_, responseUrl) => {
    const before = h.slack.responses.length;
    const response = await send(h, slashCommand(`pod ${POD}`, { responseUrl }));
    expect(await errorOf(response)).toEqual({ status: 400, code: 'invalid_response_url' });
    await h.queue.idle();
    expect(h.slack.responses.length).toBe(before);
  });

  it('verifies the bytes Slack sent when API Gateway hands the body over base64-encoded', async () => {
    const request = slashCommand('help', { responseUrl: h.slack.responseUrl('lambda') });
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/slack/commands',
      rawQueryString: '',
      headers: { ...request.headers, host: 'api.example.com' },
      requestContext: {
        http: {
          method: 'POST',
          path: '/slack/commands',
          protocol: 'HTTP/1.1',
          sourceIp: '192.0.2.1',
          userAgent: 'Slackbot',
        },
        domainName: 'api.example.com',
        requestId: 'r',
        routeKey: '$default',
        stage: '$default',
        timeEpoch: Date.now(),
      },
      body: Buffer.from(request.body).toString('base64'),
      isBase64Encoded: true,
    } as unknown as Parameters<ReturnType<typeof handle>>[0];
    const result = (await handle(h.app)(event, {} as Context)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ response_type: 'ephemeral' });
  });

  it('405 for other methods', async () => {
    expect((await h.app.request('/slack/commands')).status).toBe(405);
  });

  it('413 for a body no slash command comes close to', async () => {
    const request = slashCommand('x'.repeat(20_000), { responseUrl: h.slack.responseUrl('big') });
    expect(await errorOf(await send(h, request))).toEqual({ status: 413, code: 'payload_too_large' });
  });
});

describe('POST /slack/commands: incident history and playbook', () => {
  const oom: Finding = {
    signatureId: 'container-oom-killed',
    title: 'Container OOM-killed',
    confidence: 'high',
    summary: 'checkout-api ran out of memory.',
    evidence: [{ source: 'pod.status', detail: 'last terminated: OOMKilled (exit 137)' }],
    remediation: ['Raise the memory limit.'],
  };
  const ids: string[] = [];
  /** Pod web-<i> of `namespace` fired at `startsAt`; bulk incidents get fingerprints of their own. */
  const historyIncident = (namespace: string, i: number, startsAt: string, findings: Finding[]) => {
    const a = {
      ...alert({ namespace }),
      startsAt,
      fingerprint: `${namespace === 'bulk' ? 'b' : 'c'}${String(i).padStart(15, '0')}`,
    };
    const ctx = context({ target: { kind: 'pod', namespace, pod: `web-${i}` } });
    return incidentOf(a, ctx, findings, startsAt, startsAt);
  };

  beforeAll(async () => {
    // 14 incidents a minute apart: even ones in payments (OOM), odd ones in shop (no match); the first 4 resolved.
    for (let i = 0; i < 14; i += 1) {
      const startsAt = new Date(Date.UTC(2026, 10, 23, 8, i)).toISOString();
      const namespace = i % 2 ? 'shop' : 'payments';
      const incident = historyIncident(namespace, i, startsAt, namespace === 'payments' ? [oom] : []);
      await h.store.create(incident);
      if (i < 4) await h.store.resolve(incident.id, startsAt, startsAt);
      ids.push(incident.id);
    }
  });

  const lines = (blocks: string) => blocks.match(/web-\d+/g) ?? [];

  it('lists the newest 10 with the count of all', async () => {
    await ephemeral(await postCommand(h, 'incidents', 'list-all'));
    const answer = await answerTo(h, 'list-all');
    expect(answer.blocks).toContain('*14 incidents*; the newest 10:');
    expect(lines(answer.blocks)).toEqual(Array.from({ length: 10 }, (_, i) => `web-${13 - i}`));
  });

  it('filters by namespace, status and signature, with a limit', async () => {
    await ephemeral(await postCommand(h, 'incidents namespace=shop status=firing limit=3', 'list-shop'));
    const shop = await answerTo(h, 'list-shop');
    expect(shop.blocks).toContain('*5 incidents* matching namespace=shop status=firing; the newest 3:');
    expect(lines(shop.blocks)).toEqual(['web-13', 'web-11', 'web-9']);

    await ephemeral(
      await postCommand(h, 'incidents signature=container-oom-killed status=resolved', 'list-oom'),
    );
    const resolved = await answerTo(h, 'list-oom');
    expect(lines(resolved.blocks)).toEqual(['web-2', 'web-0']);

    await ephemeral(await postCommand(h, 'incidents node=nowhere', 'list-none'));
    expect((await answerTo(h, 'list-none')).text).toBe('No incidents matching node=nowhere.');
  });

  it('counts with one bounded read: "more than 25" once a page of 25 does not hold them all', async () => {
    for (let i = 0; i < 26; i += 1) {
      const startsAt = new Date(Date.UTC(2026, 10, 23, 9, i)).toISOString();
      await h.store.create(historyIncident('bulk', i, startsAt, []));
    }
    await ephemeral(await postCommand(h, 'incidents namespace=bulk', 'list-bulk'));
    const bulk = await answerTo(h, 'list-bulk');
    expect(bulk.blocks).toContain('*more than 25 incidents* matching namespace=bulk; the newest 10:');
    expect(lines(bulk.blocks)).toEqual(Array.from({ length: 10 }, (_, i) => `web-${25 - i}`));
  });

  it('shows one incident by id, and says when there is none', async () => {
    await ephemeral(await postCommand(h, `incident ${ids[12]}`, 'one'));
    const one = await answerTo(h, 'one');
    expect(one.blocks).toContain('KubePodCrashLooping: payments/web-12');
    expect(one.blocks).toContain('OOMKilled (exit 137)');
    expect(one.blocks).toContain('1. Raise the memory limit.');

    await ephemeral(await postCommand(h, 'incident nope-123', 'none'));
    expect((await answerTo(h, 'none')).text).toContain('There is no incident nope-123');
  });

  it('lists the playbook with source and state, as changed through /playbooks', async () => {
    const disabled = await h.app.request('/playbooks/liveness-probe-kill', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(disabled.status).toBe(200);
    await ephemeral(await postCommand(h, 'playbooks', 'playbooks'));
    const answer = await answerTo(h, 'playbooks');
    expect(answer.blocks).toContain('`container-oom-killed` · built-in · enabled');
    expect(answer.blocks).toContain('`liveness-probe-kill` · built-in · :no_entry_sign: disabled');
    expect(answer.text).toMatch(/^\d+ signatures, \d+ enabled/);
  });
});

describe('POST /slack/commands: the cluster is down', () => {
  let down: Harness;
  beforeAll(async () => {
    down = await startHarness({
      env: { CLUSTER_PROXY_URL: 'http://127.0.0.1:9', CLUSTER_CALL_TIMEOUT_MS: '300' },
    });
  });
  afterAll(async () => {
    await down?.close();
  });

  it('answers with a short explanation, never a stack trace', async () => {
    await ephemeral(await postCommand(down, `pod ${POD}`, 'down'));
    const answer = await answerTo(down, 'down');
    expect(answer.text).toMatch(/^The cluster could not be read just now \(/);
    expect(answer.blocks).not.toMatch(/\.ts:\d+|Error:|at /);
  });
});
