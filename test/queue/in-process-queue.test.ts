// The local queue: a job held by another delivery waits for the lease and costs no attempt; failures still do.
import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/adapters/queue/in-process-queue.js';
import { LeaseHeldError, type QueueMessage } from '../../src/ports.js';
import { memoryLogger } from '../support/memory-logger.js';
import { queuedEnvelope } from '../support/queue-fixtures.js';

describe('in-process queue', () => {
  it('retries a job held elsewhere without spending its attempts, and dead-letters real failures', async () => {
    const { log, lines } = memoryLogger();
    let calls = 0;
    const handler = async (_message: QueueMessage) => {
      calls += 1;
      // Held four times (more than maxAttempts), then done: never a dead letter.
      if (calls <= 4) throw new LeaseHeldError('notification of inc-1', 1);
    };
    const queue = new InProcessQueue(handler, log, { maxAttempts: 2, baseDelayMs: 1 });
    await queue.enqueue([queuedEnvelope()]);
    await queue.idle();
    expect(calls).toBe(5);
    expect(queue.deadLetters).toEqual([]);
    expect(lines.filter((l) => l.includes('held by another delivery'))).toHaveLength(4);

    const failing = new InProcessQueue(
      async () => {
        throw new Error('slack: 503');
      },
      log,
      { maxAttempts: 2, baseDelayMs: 1 },
    );
    await failing.enqueue([queuedEnvelope()]);
    await failing.idle();
    expect(failing.deadLetters).toHaveLength(1);
  });
});
