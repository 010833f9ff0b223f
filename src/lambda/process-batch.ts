// SQS batch processing with partial failures: a bad or failing record is retried alone, then dead-lettered by SQS.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { type AlertEnvelope, AlertSchema } from '../domain/alert.js';
import type { Logger } from '../log.js';

const EnvelopeSchema = z.object({
  alert: AlertSchema,
  groupKey: z.string(),
  receiver: z.string(),
  externalURL: z.string(),
  truncatedAlerts: z.number(),
  groupSize: z.number(),
  receivedAt: z.string(),
});

export async function processBatch(
  event: SQSEvent,
  run: (envelope: AlertEnvelope) => Promise<unknown>,
  log: Logger,
): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  // One at a time: the worker's concurrency, not the batch, is what Slack's per-channel rate limit sees.
  for (const record of event.Records) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const recordLog = log.child({ messageId: record.messageId, receiveCount });
    let envelope: AlertEnvelope;
    try {
      envelope = EnvelopeSchema.parse(JSON.parse(record.body)) as AlertEnvelope;
    } catch (error) {
      recordLog.error(
        'poison message: not an alert envelope; it goes to the dead-letter queue after its retries',
        {
          reason: error instanceof Error ? error.message.slice(0, 500) : String(error),
        },
      );
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await run(envelope);
      recordLog.info('triage done', { fingerprint: envelope.alert.fingerprint, outcome });
    } catch (error) {
      recordLog.error('triage failed; SQS will redeliver', {
        fingerprint: envelope.alert.fingerprint,
        error,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
