// AlertQueue and CommandQueue on one SQS queue: one message per alert (batches of ten) or per slash command.
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AlertEnvelope } from '../../domain/alert.js';
import { type AlertQueue, type CommandQueue, DependencyError } from '../../ports.js';
import type { CommandJob } from '../../slack/command-job.js';
import { encodeMessage } from './queue-message.js';

const BATCH = 10;

function sendFailed(error: unknown): DependencyError {
  if (error instanceof DependencyError) return error;
  return new DependencyError('queue', 'send_failed', `SQS send failed: ${(error as Error).message}`, {
    cause: error,
  });
}

export class SqsQueue implements AlertQueue, CommandQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(envelopes: readonly AlertEnvelope[]): Promise<void> {
    const batches: AlertEnvelope[][] = [];
    for (let i = 0; i < envelopes.length; i += BATCH) batches.push(envelopes.slice(i, i + BATCH));
    await Promise.all(batches.map((batch) => this.send(batch)));
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

  private async send(batch: readonly AlertEnvelope[]): Promise<void> {
    try {
      const answer = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((envelope, i) => ({
            Id: String(i),
            MessageBody: encodeMessage({ kind: 'alert', envelope }),
          })),
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
