// AlertQueue and CommandQueue on one SQS queue: one message per alert (batches of ten) or per slash command.
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AlertEnvelope } from '../../domain/alert.js';
import type { CommandJob } from '../../domain/command-job.js';
import type { InteractionJob } from '../../domain/interaction-job.js';
import { type AlertQueue, type CommandQueue, DependencyError, type InteractionQueue } from '../../ports.js';
import { encodeMessage } from './queue-message.js';

const BATCH = 10;
/**
 * SQS counts a batch's bodies together against the queue's maximum message size (256 KiB unless raised). Alerts
 * are bounded at ingest (domain/bounds.ts) to far less than this, so every one fits a batch of its own.
 */
export const MAX_BATCH_BYTES = 256 * 1024;

/** Bodies in order, packed into batches of at most ten and MAX_BATCH_BYTES. */
export function packBatches(bodies: readonly string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const body of bodies) {
    const bytes = Buffer.byteLength(body, 'utf8');
    if (current.length > 0 && (current.length === BATCH || size + bytes > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(body);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function sendFailed(error: unknown): DependencyError {
  if (error instanceof DependencyError) return error;
  return new DependencyError('queue', 'send_failed', `SQS send failed: ${(error as Error).message}`, {
    cause: error,
  });
}

export class SqsQueue implements AlertQueue, CommandQueue, InteractionQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(envelopes: readonly AlertEnvelope[]): Promise<void> {
    const bodies = envelopes.map((envelope) => encodeMessage({ kind: 'alert', envelope }));
    await Promise.all(packBatches(bodies).map((batch) => this.send(batch)));
  }

  async enqueueCommand(job: CommandJob): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: encodeMessage({ kind: 'command', job }),
        }),
      );
    } catch (error) {
      throw sendFailed(error);
    }
  }

  async enqueueInteraction(job: InteractionJob): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: encodeMessage({ kind: 'interaction', job }),
        }),
      );
    } catch (error) {
      throw sendFailed(error);
    }
  }

  private async send(batch: readonly string[]): Promise<void> {
    try {
      const answer = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((body, i) => ({ Id: String(i), MessageBody: body })),
        }),
      );
      if (answer.Failed && answer.Failed.length > 0) {
        throw new DependencyError(
          'queue',
          'partial_failure',
          `${answer.Failed.length} alerts were not queued: ${answer.Failed[0]?.Code}`,
        );
      }
    } catch (error) {
      throw sendFailed(error);
    }
  }
}
