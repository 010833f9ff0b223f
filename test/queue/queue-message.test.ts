// The queue's wire format: alerts stay readable as they always were, commands travel beside them, the rest is poison.
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, PoisonMessageError } from '../../src/adapters/queue/queue-message.js';
import { processBatch } from '../../src/lambda/process-batch.js';
import type { QueueMessage } from '../../src/ports.js';
import { memoryLogger } from '../support/memory-logger.js';
import { queuedEnvelope, queuedJob } from '../support/queue-fixtures.js';

const envelope = queuedEnvelope();
const job = queuedJob;
/** The same command as the earlier release queued it: the form's fields with the raw text, not yet parsed. */
const { request: _, ...fields } = queuedJob;
const earlierJob = { ...fields, text: 'pod payments/checkout-api-7d9f8c6b5-x2x7q' };

describe('queue message format', () => {
  it('a message without kind is an alert envelope (messages queued before commands existed)', () => {
    expect(decodeMessage(JSON.stringify(envelope))).toEqual({ kind: 'alert', envelope });
  });

  it('alerts and commands round-trip, with the kind at the top level of the envelope JSON', () => {
    const alertBody = encodeMessage({ kind: 'alert', envelope });
    expect(JSON.parse(alertBody)).toEqual({ kind: 'alert', ...envelope });
    expect(decodeMessage(alertBody)).toEqual({ kind: 'alert', envelope });
    const commandBody = encodeMessage({ kind: 'command', job });
    expect(JSON.parse(commandBody)).toEqual({ kind: 'command', ...job });
    expect(decodeMessage(commandBody)).toEqual({ kind: 'command', job });
  });

  it('a command queued by the earlier release (raw text) is parsed once, at the worker edge', () => {
    expect(decodeMessage(JSON.stringify({ kind: 'command', ...earlierJob }))).toEqual({
      kind: 'command',
      job,
    });
    const listing = decodeMessage(
      JSON.stringify({ kind: 'command', ...earlierJob, text: 'incidents namespace=payments limit=3' }),
    );
    expect(listing).toEqual({
      kind: 'command',
      job: { ...job, request: { kind: 'incidents', filters: { namespace: 'payments' }, limit: 3 } },
    });
  });

  it('a button press round-trips as kind interaction, parsed fields at the top level', () => {
    const press = {
      action: 'silence' as const,
      incidentId: 'abc123-20261203T080000000Z',
      hours: 4 as const,
      userId: 'U0ONCALL01',
      userName: 'oncall.jane',
      teamId: 'T0EXAMPLE1',
      channelId: 'C0ALERTS01',
      messageTs: '1795423262.000200',
      responseUrl: 'https://hooks.slack.com/actions/T0/1/abc',
      receivedAt: '2026-12-03T08:00:00.000Z',
    };
    const body = encodeMessage({ kind: 'interaction', job: press });
    expect(JSON.parse(body)).toEqual({ kind: 'interaction', ...press });
    expect(decodeMessage(body)).toEqual({ kind: 'interaction', job: press });
    expect(() => decodeMessage(JSON.stringify({ kind: 'interaction', ...press, hours: 2 }))).toThrow(
      PoisonMessageError,
    );
    expect(() => decodeMessage(JSON.stringify({ kind: 'interaction', ...press, action: 'delete' }))).toThrow(
      PoisonMessageError,
    );
  });

  it('keeps the storm marker of a storm member', () => {
    const member = { ...envelope, storm: { id: 'abc', size: 7 } };
    expect(decodeMessage(encodeMessage({ kind: 'alert', envelope: member }))).toEqual({
      kind: 'alert',
      envelope: member,
    });
  });

  it.each([
    ['not JSON', '{"kind":'],
    ['an unknown kind', JSON.stringify({ kind: 'event', ...envelope })],
    ['an alert without its alert', JSON.stringify({ ...envelope, alert: undefined })],
    ['a command without response_url', JSON.stringify({ kind: 'command', ...job, responseUrl: undefined })],
    ['a command with a huge text', JSON.stringify({ kind: 'command', ...job, text: 'x'.repeat(5000) })],
    [
      'a command of an unknown kind',
      JSON.stringify({ kind: 'command', ...job, request: { kind: 'delete', namespace: 'payments' } }),
    ],
    [
      'a command with a request and raw text',
      JSON.stringify({ kind: 'command', ...job, text: 'pod payments/checkout-api-7d9f8c6b5-x2x7q' }),
    ],
    [
      'an earlier-release command asking for help',
      JSON.stringify({ kind: 'command', ...earlierJob, text: 'help' }),
    ],
    ['null', 'null'],
  ])('%s is poison', (_, body) => {
    expect(() => decodeMessage(body)).toThrow(PoisonMessageError);
  });
});

function sqsEvent(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m-${i}`,
      receiptHandle: `r-${i}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:alert-triage',
      awsRegion: 'eu-west-1',
    })),
  };
}

describe('processBatch', () => {
  it('hands alerts (old and new format) and commands to the runner, and fails only poison and failing records', async () => {
    const seen: QueueMessage[] = [];
    const { log, lines } = memoryLogger();
    const result = await processBatch(
      sqsEvent(
        JSON.stringify(envelope),
        encodeMessage({ kind: 'command', job }),
        'garbage',
        encodeMessage({ kind: 'command', job: { ...job, userId: 'U0FAILING1' } }),
      ),
      async (message) => {
        if (message.kind === 'command' && message.job.userId === 'U0FAILING1') throw new Error('boom');
        seen.push(message);
        return 'ok';
      },
      log,
    );
    expect(seen).toEqual([
      { kind: 'alert', envelope },
      { kind: 'command', job },
    ]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }]);
    // A response_url is a credential while it lives: it never reaches the logs.
    expect(lines.join('\n')).not.toContain('hooks.slack.com');
  });

  it('stops early when too little time is left for another record, and returns the rest as failures', async () => {
    const { log, lines } = memoryLogger();
    // A simulated Lambda clock: each record takes 30 s of the 100 s left; a record needs 35 s to start.
    let remaining = 100_000;
    const ran: number[] = [];
    const bodies = Array.from({ length: 5 }, (_, i) =>
      encodeMessage({ kind: 'command', job: { ...job, userId: `U0RECORD${i}` } }),
    );
    const result = await processBatch(
      sqsEvent(...bodies),
      async (message) => {
        if (message.kind === 'command') ran.push(Number(message.job.userId.slice(-1)));
        remaining -= 30_000;
      },
      log,
      { remainingMs: () => remaining, reserveMs: 35_000 },
    );
    expect(ran).toEqual([0, 1, 2]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-3' }, { itemIdentifier: 'm-4' }]);
    expect(lines.some((l) => l.includes('stopping the batch early'))).toBe(true);
  });
});
