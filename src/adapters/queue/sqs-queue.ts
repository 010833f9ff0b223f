// AlertQueue on SQS: one message per alert, sent in batches of ten; any entry not accepted fails the whole enqueue.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AlertEnvelope } from '../../domain/alert.js';
import { type AlertQueue, DependencyError } from '../../ports.js';

const BATCH = 10;

export class SqsQueue implements AlertQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(envelopes: readonly AlertEnvelope[]): Promise<void> {
    const batches: AlertEnvelope[][] = [];
    for (let i = 0; i < envelopes.length; i += BATCH) batches.push(envelopes.slice(i, i + BATCH));
    await Promise.all(batches.map((batch) => this.send(batch)));
  }

  private async send(batch: readonly AlertEnvelope[]): Promise<void> {
    try {
      const answer = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((envelope, i) => ({ Id: String(i), MessageBody: JSON.stringify(envelope) })),
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
      if (error instanceof DependencyError) throw error;
      throw new DependencyError('queue', 'send_failed', `SQS send failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
