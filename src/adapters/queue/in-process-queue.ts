// Local-mode queue for alerts and slash commands: runs them in the background with bounded concurrency, retries
// with backoff, never drops silently.

import type { AlertEnvelope } from '../../domain/alert.js';
import type { CommandJob } from '../../domain/command-job.js';
import type { InteractionJob } from '../../domain/interaction-job.js';
import type { Logger } from '../../log.js';
import {
  type AlertQueue,
  type CommandQueue,
  type InteractionQueue,
  LeaseHeldError,
  type QueueMessage,
} from '../../ports.js';
import { messageLogFields } from './queue-message.js';

export interface InProcessQueueOptions {
  readonly concurrency?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  /** Messages waiting to start (retries included) before enqueue refuses: memory stays bounded under a storm. */
  readonly maxPending?: number;
}

/** Default bound of the local queue (LOCAL_QUEUE_MAX). */
export const LOCAL_QUEUE_MAX = 10_000;

export class QueueFullError extends Error {
  readonly code = 'queue_full';
}

interface Job {
  readonly message: QueueMessage;
  attempts: number;
}

export interface DeadLetter {
  readonly message: QueueMessage;
  readonly reason: string;
}

export class InProcessQueue implements AlertQueue, CommandQueue, InteractionQueue {
  private readonly pending: Job[] = [];
  private running = 0;
  private waiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly handler: (message: QueueMessage) => Promise<unknown>,
    private readonly log: Logger,
    private readonly options: InProcessQueueOptions = {},
  ) {}

  /** Refuses (the webhook answers 503 and Alertmanager retries) rather than letting the backlog grow without limit. */
  private admit(count: number): void {
    const max = this.options.maxPending ?? LOCAL_QUEUE_MAX;
    const waiting = this.pending.length + this.timers.size;
    if (waiting + count <= max) return;
    this.log.warn('local queue full: refusing new work until it drains', { waiting, refused: count, max });
    throw new QueueFullError(`local queue full (${waiting} waiting, limit ${max})`);
  }

  async enqueue(envelopes: readonly AlertEnvelope[]): Promise<void> {
    this.admit(envelopes.length);
    for (const envelope of envelopes)
      this.pending.push({ message: { kind: 'alert', envelope }, attempts: 0 });
    this.pump();
  }

  async enqueueCommand(job: CommandJob): Promise<void> {
    this.admit(1);
    this.pending.push({ message: { kind: 'command', job }, attempts: 0 });
    this.pump();
  }

  async enqueueInteraction(job: InteractionJob): Promise<void> {
    this.pending.push({ message: { kind: 'interaction', job }, attempts: 0 });
    this.pump();
  }

  /** Resolves when nothing is queued, running or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops retry timers; queued work is abandoned (process shutdown). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.pending.length = 0;
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.running === 0 && this.timers.size === 0;
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.running < limit && this.pending.length > 0) {
      const job = this.pending.shift();
      if (job) void this.run(job);
    }
    if (this.isIdle()) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async run(job: Job): Promise<void> {
    this.running += 1;
    job.attempts += 1;
    try {
      await this.handler(job.message);
    } catch (error) {
      this.retryOrDeadLetter(job, error);
    } finally {
      this.running -= 1;
      this.pump();
    }
  }

  private retryOrDeadLetter(job: Job, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof LeaseHeldError) {
      // Another delivery is doing the job: not a failure of this one, so it costs no attempt. Back once the holder
      // is done or its lease has run out; the lease bounds how often this can happen.
      job.attempts -= 1;
      this.log.info('held by another delivery; back when its lease ends', {
        ...messageLogFields(job.message),
        retryInMs: error.retryAfterMs,
      });
      this.later(job, Math.max(50, error.retryAfterMs));
      return;
    }
    if (job.attempts >= (this.options.maxAttempts ?? 5)) {
      this.deadLetters.push({ message: job.message, reason });
      this.log.error('DEAD LETTER: failed on every attempt; the message is kept in memory only', {
        ...messageLogFields(job.message),
        attempts: job.attempts,
        reason,
      });
      return;
    }
    const delay = (this.options.baseDelayMs ?? 500) * 2 ** (job.attempts - 1);
    this.log.warn(`${job.message.kind === 'alert' ? 'triage' : job.message.kind} failed; retrying`, {
      ...messageLogFields(job.message),
      attempt: job.attempts,
      retryInMs: delay,
      reason,
    });
    this.later(job, delay);
  }

  private later(job: Job, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pending.push(job);
      this.pump();
    }, delayMs);
    this.timers.add(timer);
  }
}
