// Finding 4 of issue 16: slash commands from allowed teams and users only, within the namespaces granted to the
// channel or user, and each signed request served once.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { DynamoReplayGuard } from '../../src/adapters/dynamo/replay-guard.js';
import { parseNamespaceGrants, type SlackAccess } from '../../src/commands/access.js';
import { MemoryReplayGuard, type ReplayGuard } from '../../src/commands/replay-guard.js';
import { loadConfig } from '../../src/config.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { CommandJob } from '../../src/domain/command-job.js';
import type { Incident } from '../../src/domain/incident.js';
import { createApp } from '../../src/http/app.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamo.js';
import { getJson, type Harness, postWebhook, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { memoryLogger } from '../support/memory-logger.js';
import { emptyStore, MemoryPlaybookStore, RecordingQueue } from '../support/minimal-app.js';
import { answerTo, type CommandRequest, postCommand, slashCommand } from '../support/slack-command.js';

const RESPONSE_URL = 'https://hooks.slack.com/commands/T0EXAMPLE1/8123456789012/AbCdEfGhIjKlMnOpQrStUvWx';

function commandApp(access?: SlackAccess, replays?: ReplayGuard) {
  const jobs: CommandJob[] = [];
  const { log, lines } = memoryLogger();
  const app = createApp({
    webhookToken: 'webhook-token-0123456789abcdefghijklmn',
    apiToken: 'api-token-0123456789abcdefghijklmnopqrs',
    queue: new RecordingQueue(),
    store: emptyStore,
    playbooks: new MemoryPlaybookStore(),
    builtIns: BUILT_IN_SIGNATURES,
    log,
    slack: {
      signingSecret: SIGNING_SECRET,
      queue: { enqueueCommand: async (job) => void jobs.push(job) },
      slackApiUrl: undefined,
      ...(access ? { access } : {}),
      ...(replays ? { replays } : {}),
    },
  });
  const send = async (request: CommandRequest) => {
    const res = await app.request('/slack/commands', {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    return { status: res.status, json: (await res.json()) as { text?: string; error?: { code: string } } };
  };
  return { send, jobs, lines };
}

const command = (text: string, fields: Record<string, string> = {}) =>
  slashCommand(text, { responseUrl: RESPONSE_URL, fields });

describe('replayed requests', () => {
  it('serves a signed request once: the same request again is refused and queues nothing', async () => {
    const { send, jobs } = commandApp();
    const request = command('pod shop/web-0');
    expect((await send(request)).status).toBe(200);
    const again = await send(request);
    expect(again).toMatchObject({ status: 401, json: { error: { code: 'replayed_request' } } });
    expect(await send(request)).toMatchObject({ status: 401 });
    expect(jobs).toHaveLength(1);
  });

  it('forgets a request once its signature window has passed (the window refuses it anyway)', async () => {
    let now = new Date('2026-12-03T09:00:00Z');
    const guard = new MemoryReplayGuard(() => now);
    expect(await guard.firstUse('k', new Date('2026-12-03T09:06:00Z'))).toBe(true);
    expect(await guard.firstUse('k', new Date('2026-12-03T09:06:00Z'))).toBe(false);
    now = new Date('2026-12-03T09:07:00Z');
    expect(await guard.firstUse('k', new Date('2026-12-03T09:12:00Z'))).toBe(true);
  });

  describe('across api instances (Lambda): DynamoDB conditional put', () => {
    let dynamo: EmbeddedDynamo;
    let client: DynamoDBClient;
    beforeAll(async () => {
      dynamo = await startEmbeddedDynamo();
      client = dynamo.client;
      await ensureTable(client, 'replays');
    });
    afterAll(async () => {
      await dynamo.close();
    });

    it('two instances sharing the table serve one request once', async () => {
      const first = commandApp(undefined, new DynamoReplayGuard(client, 'replays'));
      const second = commandApp(undefined, new DynamoReplayGuard(client, 'replays'));
      const request = command('pod shop/web-1');
      expect((await first.send(request)).status).toBe(200);
      expect((await second.send(request)).status).toBe(401);
      expect(first.jobs.length + second.jobs.length).toBe(1);
    });

    it('an expired item (TTL not yet run) does not block its key', async () => {
      let now = new Date('2026-12-03T09:00:00Z');
      const guard = new DynamoReplayGuard(client, 'replays', () => now);
      expect(await guard.firstUse('old', new Date('2026-12-03T09:06:00Z'))).toBe(true);
      expect(await guard.firstUse('old', new Date('2026-12-03T09:06:00Z'))).toBe(false);
      now = new Date('2026-12-03T09:10:00Z');
      expect(await guard.firstUse('old', new Date('2026-12-03T09:16:00Z'))).toBe(true);
    });
  });
});

describe('allowed teams and users', () => {
  const access: SlackAccess = {
    teams: new Set(['T0EXAMPLE1']),
    users: new Set(['U0ONCALL01']),
    namespaces: undefined,
  };

  it('refuses another workspace, and queues nothing', async () => {
    const { send, jobs } = commandApp(access);
    const answer = await send(command('pod shop/web-0', { team_id: 'T0OTHER001' }));
    expect(answer).toMatchObject({
      status: 200,
      json: { text: expect.stringMatching(/workspace is not allowed/) },
    });
    expect(jobs).toEqual([]);
  });

  it('refuses a user not on the list', async () => {
    const { send, jobs } = commandApp(access);
    const answer = await send(command('pod shop/web-0', { user_id: 'U0RANDOM01' }));
    expect(answer.json.text).toMatch(/not on the list/);
    expect(jobs).toEqual([]);
  });

  it('serves a listed user of a listed team', async () => {
    const { send, jobs } = commandApp(access);
    expect((await send(command('pod shop/web-0'))).json.text).toMatch(/Looking at/);
    expect(jobs).toHaveLength(1);
  });
});

describe('namespaces granted per channel and user', () => {
  const access: SlackAccess = {
    teams: undefined,
    users: undefined,
    namespaces: parseNamespaceGrants('C0ALERTS01=shop,payments;U0ADMIN001=*'),
  };

  it.each([
    ['pod team-b/secret-app-0', {}, /may inspect payments, shop, not team-b/],
    ['node ip-10-0-0-1', {}, /every namespace/],
    ['incidents', {}, /add namespace=<ns>/],
    ['incidents namespace=team-b', {}, /add namespace=<ns>/],
    ['pod shop/web-0', { channel_id: 'C0OTHER001' }, /may inspect no namespace/],
  ])('refuses %s from %j', async (text, fields, message) => {
    const { send, jobs } = commandApp(access);
    expect((await send(command(text, fields))).json.text).toMatch(message);
    expect(jobs).toEqual([]);
  });

  it.each([
    ['pod shop/web-0', {}],
    ['incidents namespace=payments', {}],
    ['node ip-10-0-0-1', { user_id: 'U0ADMIN001' }],
    ['pod team-b/secret-app-0', { user_id: 'U0ADMIN001', channel_id: 'C0OTHER001' }],
    ['playbooks', { channel_id: 'C0OTHER001' }],
  ])('queues %s from %j', async (text, fields) => {
    const { send, jobs } = commandApp(access);
    expect((await send(command(text, fields))).json.text).toMatch(/Looking at|playbook|signature/i);
    expect(jobs).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('reads the allow-lists and grants, and warns loudly when namespaces are open to everyone', () => {
    const config = loadConfig(
      {
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_TEAM_IDS: 'T0EXAMPLE1, T0EXAMPLE2',
        SLACK_NAMESPACES: 'C0ALERTS01=shop',
      },
      'local',
    );
    expect([...(config.slackAccess.teams ?? [])]).toEqual(['T0EXAMPLE1', 'T0EXAMPLE2']);
    expect(config.slackAccess.namespaces?.get('C0ALERTS01')).toEqual(new Set(['shop']));
    const open = loadConfig({ SLACK_SIGNING_SECRET: 'signing-secret' }, 'local');
    expect(open.substitutions.join('\n')).toMatch(/WARNING: SLACK_NAMESPACES is unset/);
  });

  it.each([
    ['SLACK_NAMESPACES', 'C0ALERTS01=../kube-system'],
    ['SLACK_NAMESPACES', 'not an id=shop'],
    ['SLACK_NAMESPACES', 'C0ALERTS01='],
    ['SLACK_TEAM_IDS', 'T0EX;AMPLE'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value }, 'local')).toThrow(new RegExp(name));
  });
});

describe('incident <id> outside the grant (checked by the worker, where the incident is read)', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('answers an incident of another namespace as unknown, and shows one of a granted namespace', async () => {
    const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api');
    if (!oom) throw new Error('missing scenario oom-checkout-api');
    h = await startHarness({
      cluster: oom.cluster,
      env: { SLACK_NAMESPACES: 'C0ALERTS01=shop;U0PAYMENTS=payments' },
    });
    expect((await postWebhook(h, oom.webhook)).status).toBe(200);
    await h.queue.idle();
    const [incident] = ((await (await getJson(h, '/incidents')).json()) as { items: Incident[] }).items;
    expect(incident?.target.namespace).toBe('payments');

    await postCommand(h, `incident ${incident?.id}`, 'outside');
    expect((await answerTo(h, 'outside')).text).toMatch(/There is no incident/);
    await postCommand(h, `incident ${incident?.id}`, 'granted', { fields: { user_id: 'U0PAYMENTS' } });
    expect((await answerTo(h, 'granted')).text).not.toMatch(/There is no incident/);
  });
});
