// Property tests of POST /slack/commands and the /triage grammar: 10,000+ generated requests, no 5xx, every
// refusal a JSON error, and work queued exactly when the command needs the worker.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/adapters/queue/queue-message.js';
import { parseCommand, type SlashCommand } from '../../src/commands/parse-command.js';
import { expectedSignature } from '../../src/commands/verify-signature.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { type CommandJob, MAX_LISTED } from '../../src/domain/command-job.js';
import { createApp } from '../../src/http/app.js';
import { SLACK_BODY_LIMIT } from '../../src/http/routes/slack-commands.js';
import { createLogger } from '../../src/log.js';
import type { CommandQueue } from '../../src/ports.js';
import { runs } from '../support/fuzz.js';
import { emptyStore, MemoryPlaybookStore, RecordingQueue } from '../support/minimal-app.js';

const SECRET = 'fuzz-signing-secret-0123456789abcdef';
const STAND_IN = 'http://127.0.0.1:9';
const NOW = new Date('2026-11-23T10:00:00Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

class RecordingCommands implements CommandQueue {
  readonly jobs: CommandJob[] = [];
  async enqueueCommand(job: CommandJob): Promise<void> {
    this.jobs.push(job);
  }
}

const commands = new RecordingCommands();
const logs: string[] = [];
const app = createApp({
  webhookToken: 'unused-webhook-token-0123456789',
  apiToken: 'unused-api-token-0123456789',
  queue: new RecordingQueue(),
  store: emptyStore,
  playbooks: new MemoryPlaybookStore(),
  builtIns: BUILT_IN_SIGNATURES,
  now: () => NOW,
  log: createLogger({ level: 'warn', sink: (line) => logs.push(line), secrets: [SECRET] }),
  slack: {
    signingSecret: SECRET,
    queue: commands,
    slackApiUrl: STAND_IN,
    // Generated forms repeat within one second, and so do their signatures: every request here is a first one
    // (replays have their own test, test/security/slash-command-access.test.ts).
    replays: { firstUse: async () => true },
  },
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly queued: number;
}

async function send(body: Uint8Array | string, headers: Record<string, string>): Promise<Answer> {
  const before = commands.jobs.length;
  const response = await app.request('/slack/commands', { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : JSON.parse(text),
    queued: commands.jobs.length - before,
  };
}

function signed(body: Uint8Array | string, timestamp = NOW_SECONDS): Record<string, string> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': expectedSignature(SECRET, String(timestamp), bytes),
  };
}

/** The route's whole contract: 200 with an ephemeral answer (and at most one job), or a 4xx JSON error. */
function checkContract(answer: Answer): void {
  expect(answer.status).toBeLessThan(500);
  if (answer.status === 200) {
    if (answer.body === undefined) return; // ssl_check
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: expect.any(String) });
    expect((answer.body as { text: string }).text.length).toBeGreaterThan(0);
    expect(answer.queued).toBeLessThanOrEqual(1);
    return;
  }
  expect(answer.status).toBeGreaterThanOrEqual(400);
  const { error } = answer.body as { error: { code: unknown; message: unknown } };
  expect(typeof error.code).toBe('string');
  expect(typeof error.message).toBe('string');
  expect((error.message as string).length).toBeGreaterThan(0);
  expect(answer.queued).toBe(0);
}

const needsWorker = (command: SlashCommand) => command.kind !== 'help' && command.kind !== 'invalid';

// ---- command text: the grammar's words and values, Slack's escapes, and plain noise ----

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const word = fc.oneof(
  fc.constantFrom('pod', 'POD', 'node', 'incidents', 'incident', 'playbooks', 'playbook', 'help', '?', '-h'),
  fc.tuple(dnsLabel, dnsLabel).map(([ns, pod]) => `${ns}/${pod}`),
  fc
    .tuple(
      fc.constantFrom('status', 'namespace', 'node', 'signature', 'limit', 'Status', 'bogus', ''),
      fc.oneof(
        dnsLabel,
        fc.constantFrom('firing', 'resolved', '0', '1', '10', '11', '999', '-1', '1e1', ''),
        fc.string({ maxLength: 8 }),
      ),
    )
    .map(([k, v]) => `${k}=${v}`),
  dnsLabel.map((n) => `<http://${n}.ec2.internal|${n}.ec2.internal>`),
  fc.constantFrom('&lt;', '&gt;', '&amp;', '<>', '<|>', '`', '``', '/', '//', 'a/b/c', '<mailto:x>', 'ns/'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const space = fc.constantFrom(' ', '  ', '\t', '\u00a0', '\n', '\u2003');
const commandText = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(word, space), { maxLength: 6 }).map((ws) => ws.flat().join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1001), 'pod '.repeat(300), '\u0000'.repeat(50)) },
);

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

const baseFields = (text: string, id: number): Record<string, string> => ({
  team_id: 'T0FUZZ',
  channel_id: 'C0FUZZ',
  user_id: 'U0FUZZ',
  command: '/triage',
  text,
  response_url: `${STAND_IN}/responses/${id}`,
});

describe('parseCommand under generated text', () => {
  it('always returns a well-formed command, and valid ones carry valid names', () => {
    fc.assert(
      fc.property(fc.oneof(commandText, fc.string({ maxLength: 200 })), (text) => {
        const command = parseCommand(text);
        switch (command.kind) {
          case 'pod':
            expect(command.namespace).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
            expect(command.pod).toMatch(/^[a-z0-9][-a-z0-9.]*$/);
            break;
          case 'node':
            expect(command.node).toMatch(/^[a-z0-9][-a-z0-9.]*$/);
            break;
          case 'incidents':
            expect(command.limit).toBeGreaterThanOrEqual(1);
            expect(command.limit).toBeLessThanOrEqual(MAX_LISTED);
            break;
          case 'incident':
            expect(command.id).toMatch(/^[0-9A-Za-z_.-]{1,200}$/);
            break;
          case 'invalid':
            expect(command.message.length).toBeGreaterThan(0);
            expect(command.usage.length).toBeGreaterThan(0);
            break;
          case 'help':
            if (command.unknown !== undefined) {
              expect(command.unknown.length).toBeLessThanOrEqual(60);
              expect(command.unknown).not.toContain('`');
            }
            break;
          case 'playbooks':
            break;
        }
      }),
      { numRuns: runs(10_000) },
    );
  });
});

describe('POST /slack/commands under generated requests', () => {
  it('answers every signed command at once, queuing it exactly when it needs the worker', async () => {
    let id = 0;
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        id += 1;
        const body = form(baseFields(text, id));
        const answer = await send(body, signed(body));
        checkContract(answer);
        expect(answer.status).toBe(200);
        const expected = needsWorker(parseCommand(text)) ? 1 : 0;
        expect(answer.queued).toBe(expected);
        if (expected) {
          // Queued parsed, and exactly what the worker's edge accepts.
          const job = commands.jobs.at(-1);
          expect(job).toMatchObject({
            request: parseCommand(text),
            responseUrl: `${STAND_IN}/responses/${id}`,
          });
          if (job)
            expect(decodeMessage(encodeMessage({ kind: 'command', job }))).toEqual({ kind: 'command', job });
        }
      }),
      { numRuns: runs(4_000) },
    );
  });

  it('keeps its contract for forms with missing, extra, huge or hostile fields', async () => {
    const field = fc.constantFrom(
      'command',
      'text',
      'response_url',
      'user_id',
      'channel_id',
      'team_id',
      'ssl_check',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        '',
        '1',
        'x'.repeat(5_000),
        'https://hooks.slack.com/commands/T0/1/abc',
        'https://hooks.slack.com.evil.example/x',
        'http://169.254.169.254/latest/meta-data/',
        'https://user:pw@hooks.slack.com/x',
        'file:///etc/passwd',
        'javascript:alert(1)',
        `${STAND_IN}/ok`,
      ),
    );
    const edit = fc.oneof(
      fc.tuple(field, value).map(([k, v]) => ({ kind: 'set' as const, k, v })),
      field.map((k) => ({ kind: 'drop' as const, k })),
      fc.tuple(fc.string({ maxLength: 10 }), value).map(([k, v]) => ({ kind: 'set' as const, k, v })),
    );
    await fc.assert(
      fc.asyncProperty(commandText, fc.array(edit, { minLength: 1, maxLength: 4 }), async (text, edits) => {
        const fields = baseFields(text, 0);
        for (const e of edits) {
          if (e.kind === 'set') fields[e.k] = e.v;
          else delete fields[e.k];
        }
        const body = form(fields);
        const answer = await send(body, signed(body));
        checkContract(answer);
        if (Buffer.byteLength(body) > SLACK_BODY_LIMIT) expect(answer.status).toBe(413);
        if (fields.ssl_check === '1') expect(answer).toMatchObject({ status: 200, queued: 0 });
        const url = fields.response_url ?? '';
        if (answer.queued === 1)
          expect(url.startsWith(`${STAND_IN}/`) || url.startsWith('https://hooks.slack.com/')).toBe(true);
      }),
      { numRuns: runs(2_500) },
    );
  });

  it('answers signed arbitrary bytes with 200 or a 4xx JSON error, never a 5xx', async () => {
    const prefix = fc.constantFrom(
      '',
      'command=%2Ftriage&',
      'command=%2Ftriage&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr&text=',
      '%',
      '&&=',
    );
    await fc.assert(
      fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 1_000 }), async (p, tail) => {
        const head = new TextEncoder().encode(p);
        const body = new Uint8Array(head.length + tail.length);
        body.set(head);
        body.set(tail, head.length);
        checkContract(await send(body, signed(body)));
      }),
      { numRuns: runs(1_500) },
    );
  });

  it('refuses every request whose signature, timestamp or secret is wrong with 401, queuing nothing', async () => {
    const tamper = fc.oneof(
      fc.constant({ kind: 'no-signature' as const }),
      fc.constant({ kind: 'no-timestamp' as const }),
      fc.integer({ min: 301, max: 10 ** 9 }).map((skew) => ({ kind: 'skew' as const, skew })),
      fc.integer({ min: 301, max: 10 ** 9 }).map((skew) => ({ kind: 'skew' as const, skew: -skew })),
      fc.string({ minLength: 1, maxLength: 40 }).map((secret) => ({ kind: 'secret' as const, secret })),
      fc.string({ maxLength: 80 }).map((signature) => ({ kind: 'signature' as const, signature })),
      fc.string({ maxLength: 20 }).map((timestamp) => ({ kind: 'timestamp' as const, timestamp })),
      fc.nat({ max: 200 }).map((at) => ({ kind: 'body' as const, at })),
    );
    await fc.assert(
      fc.asyncProperty(commandText, tamper, async (text, t) => {
        const body = form(baseFields(text, 0));
        const headers = signed(body);
        let sent = body;
        if (t.kind === 'no-signature') delete headers['x-slack-signature'];
        else if (t.kind === 'no-timestamp') delete headers['x-slack-request-timestamp'];
        else if (t.kind === 'skew') Object.assign(headers, signed(body, NOW_SECONDS + t.skew));
        else if (t.kind === 'secret') {
          fc.pre(t.secret !== SECRET);
          const ts = String(NOW_SECONDS);
          headers['x-slack-signature'] = expectedSignature(t.secret, ts, new TextEncoder().encode(body));
        } else if (t.kind === 'signature') {
          fc.pre(t.signature !== headers['x-slack-signature']);
          headers['x-slack-signature'] = t.signature;
        } else if (t.kind === 'timestamp') {
          fc.pre(t.timestamp.trim() !== String(NOW_SECONDS));
          headers['x-slack-request-timestamp'] = t.timestamp;
        } else {
          // One byte of the body changed after signing: a replayed signature on an altered command.
          const i = t.at % body.length;
          sent = body.slice(0, i) + (body[i] === 'a' ? 'b' : 'a') + body.slice(i + 1);
        }
        const answer = await send(sent, headers);
        checkContract(answer);
        expect(answer.status).toBe(401);
        expect(answer.body).toMatchObject({ error: { code: 'invalid_signature' } });
      }),
      { numRuns: runs(2_000) },
    );
  });

  it.each([
    ['is absent', undefined],
    ['claims less', '10'],
    ['is not a number', 'abc'],
  ])('refuses a body over the limit with 413 when Content-Length %s, queuing nothing', async (_, claimed) => {
    const body = form({ ...baseFields('pod a/b', 0), pad: 'x'.repeat(2 * SLACK_BODY_LIMIT) });
    const headers = signed(body);
    if (claimed !== undefined) headers['content-length'] = claimed;
    const answer = await send(body, headers);
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } }, queued: 0 });
  });

  it('logged no error and no secret while answering all of the above', () => {
    expect(logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
    expect(logs.filter((l) => l.includes(SECRET))).toEqual([]);
  });
});
