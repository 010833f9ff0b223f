// Property tests of the Slack interaction parser and POST /slack/interactions: generated and mutated payloads never
// throw or answer 5xx, and whatever is queued is a valid job that survives the queue's wire format.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/adapters/queue/queue-message.js';
import { OPEN_ACCESS } from '../../src/commands/access.js';
import { parseInteraction } from '../../src/commands/interaction.js';
import { expectedSignature } from '../../src/commands/verify-signature.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { Incident } from '../../src/domain/incident.js';
import { type InteractionJob, InteractionJobSchema } from '../../src/domain/interaction-job.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import type { IncidentStore, InteractionQueue } from '../../src/ports.js';
import { runs } from '../support/fuzz.js';
import { emptyStore, MemoryPlaybookStore, RecordingQueue } from '../support/minimal-app.js';
import { payloadOf } from '../support/slack-interaction.js';

const SECRET = 'fuzz-signing-secret-0123456789abcdef';
const STAND_IN = 'http://127.0.0.1:9';
const NOW = new Date('2026-12-03T10:00:00Z');
const RECEIVED = NOW.toISOString();

const ACTIONS = [
  'triage_ack',
  'triage_silence_1h',
  'triage_silence_4h',
  'triage_silence_24h',
  'triage_unsilence',
  'triage_rerun',
  'triage_right',
  'triage_wrong',
  'triage_actual_signature',
  'triage_actual_text',
  'triage_storm_ack',
];

const valid = (actionId: string, value: string) =>
  payloadOf({ actionId, value, responseUrl: 'https://hooks.slack.com/actions/T0/1/abc' });

/** A JSON value of any shape, to put where the parser expects something specific. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A valid payload with one field (at any depth of the first action or the top) replaced by anything. */
const mutated = fc
  .tuple(
    fc.constantFrom(...ACTIONS),
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      'type',
      'user',
      'team',
      'channel',
      'container',
      'response_url',
      'actions',
      'action',
      'block',
    ),
    anyJson,
  )
  .map(([actionId, value, field, replacement]) => {
    const payload = valid(actionId, value) as Record<string, unknown> & {
      actions: Record<string, unknown>[];
    };
    if (field === 'action') payload.actions[0] = { ...payload.actions[0], value: replacement };
    else if (field === 'block') payload.actions[0] = { ...payload.actions[0], block_id: replacement };
    else (payload as Record<string, unknown>)[field] = replacement;
    return JSON.stringify(payload);
  });

function checkResult(raw: string): void {
  const result = parseInteraction(new URLSearchParams({ payload: raw }), RECEIVED);
  if (!result.ok) {
    expect(result.detail.length).toBeGreaterThan(0);
    return;
  }
  expect(InteractionJobSchema.safeParse(result.job).success).toBe(true);
  const decoded = decodeMessage(encodeMessage({ kind: 'interaction', job: result.job }));
  expect(decoded).toEqual({ kind: 'interaction', job: result.job });
}

describe('parseInteraction', () => {
  it('never throws on arbitrary text, and anything accepted is a valid job that survives the queue', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (raw) => checkResult(raw)),
      { numRuns: runs(3000) },
    );
  });

  it('never throws on valid payloads with a field replaced by any JSON value', () => {
    fc.assert(
      fc.property(mutated, (raw) => checkResult(raw)),
      { numRuns: runs(5000) },
    );
  });

  it('accepts every known button with an incident-id-shaped value, and only known action ids', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIONS.filter((a) => !a.startsWith('triage_actual') && a !== 'triage_storm_ack')),
        fc.stringMatching(/^[0-9a-f]{16}-20261203T0[0-9]{5}000Z$/),
        fc.string({ minLength: 1, maxLength: 40 }),
        (actionId, id, junk) => {
          const ok = parseInteraction(
            new URLSearchParams({ payload: JSON.stringify(valid(actionId, id)) }),
            RECEIVED,
          );
          expect(ok.ok && ok.job.incidentId).toBe(id);
          const unknown = parseInteraction(
            new URLSearchParams({ payload: JSON.stringify(valid(`x${junk}`, id)) }),
            RECEIVED,
          );
          expect(unknown.ok).toBe(false);
        },
      ),
      { numRuns: runs(1000) },
    );
  });
});

class RecordingInteractions implements InteractionQueue {
  readonly jobs: InteractionJob[] = [];
  async enqueueInteraction(job: InteractionJob): Promise<void> {
    this.jobs.push(job);
  }
}

const queued = new RecordingInteractions();
/** Every incident id exists, so accepted presses reach the queue. */
const store: IncidentStore = {
  ...emptyStore,
  get: async (id: string) => ({ id, target: { kind: 'cluster' }, labels: {} }) as unknown as Incident,
};
let seen = 0;
const app = createApp({
  webhookToken: 'unused-webhook-token-0123456789',
  apiToken: 'unused-api-token-0123456789',
  queue: new RecordingQueue(),
  store,
  playbooks: new MemoryPlaybookStore(),
  builtIns: BUILT_IN_SIGNATURES,
  now: () => NOW,
  log: createLogger({ level: 'error', sink: () => {}, secrets: [SECRET] }),
  interactions: {
    signingSecret: SECRET,
    queue: queued,
    // Every generated request is new: the replay guard is exercised by the integration test.
    replay: { firstUse: async () => ++seen > 0 },
    access: OPEN_ACCESS,
    respond: async () => 'posted',
    slackApiUrl: STAND_IN,
  },
});

describe('POST /slack/interactions', () => {
  it('signed arbitrary or mutated payloads: never 5xx, refusals are JSON errors, 200s queue at most one valid job', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.string({ maxLength: 500 })), async (raw) => {
        const body = new URLSearchParams({ payload: raw }).toString();
        const timestamp = String(Math.floor(NOW.getTime() / 1000));
        const before = queued.jobs.length;
        const response = await app.request('/slack/interactions', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': timestamp,
            'x-slack-signature': expectedSignature(SECRET, timestamp, body),
          },
          body,
        });
        expect([200, 400]).toContain(response.status);
        const text = await response.text();
        if (response.status !== 200)
          expect((JSON.parse(text) as { error: { code: string } }).error.code).toBeTruthy();
        const added = queued.jobs.slice(before);
        expect(added.length).toBeLessThanOrEqual(1);
        for (const job of added) expect(InteractionJobSchema.safeParse(job).success).toBe(true);
      }),
      { numRuns: runs(2000) },
    );
  });
});
