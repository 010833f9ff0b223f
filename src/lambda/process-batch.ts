// SQS batch processing with partial failures: a bad or failing record is retried alone, then dead-lettered by SQS.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { decodeMessage, messageLogFields } from '../adapters/queue/queue-message.js';
import type { Logger } from '../log.js';
import type { QueueMessage } from '../ports.js';

export async function processBatch(
  event: SQSEvent,
  run: (message: QueueMessage) => Promise<unknown>,
  log: Logger,
): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  // One at a time: the worker's concurrency, not the batch, is what Slack's per-channel rate limit sees.
  for (const record of event.Records) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const recordLog = log.child({ messageId: record.messageId, receiveCount });
    let message: QueueMessage;
    try {
      message = decodeMessage(record.body);
    } catch (error) {
      recordLog.error(
        'poison message: neither an alert envelope nor a command; it goes to the dead-letter queue after its retries',
        { reason: error instanceof Error ? error.message.slice(0, 500) : String(error) },
      );
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await run(message);
      recordLog.info(`${message.kind === 'alert' ? 'triage' : message.kind} done`, {
        ...messageLogFields(message),
        outcome,
      });
    } catch (error) {
      recordLog.error(`${message.kind === 'alert' ? 'triage' : message.kind} failed; SQS will redeliver`, {
        ...messageLogFields(message),
        error,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
