// SQS batch processing with partial failures: a bad or failing record is retried alone, then dead-lettered by SQS.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { decodeMessage, messageLogFields } from '../adapters/queue/queue-message.js';
import type { Logger } from '../log.js';
import { LeaseHeldError, type QueueMessage } from '../ports.js';

/**
 * Time one record may take at worst: a post may wait out 429s for up to 30 s (the notifier's bound), plus the
 * cluster reads, the store and Slack's own answer. A record is not started with less time than this left.
 */
export const RECORD_RESERVE_MS = 35_000;

export interface BatchTime {
  /** The Lambda context's getRemainingTimeInMillis. */
  readonly remainingMs: () => number;
  readonly reserveMs?: number;
}

export async function processBatch(
  event: SQSEvent,
  run: (message: QueueMessage) => Promise<unknown>,
  log: Logger,
  time?: BatchTime,
): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  const reserve = time?.reserveMs ?? RECORD_RESERVE_MS;
  // One at a time: the worker's concurrency, not the batch, is what Slack's per-channel rate limit sees.
  for (const [index, record] of event.Records.entries()) {
    // A timeout would fail the whole batch: records already done would run again and every record's receive count
    // would move toward the dead-letter queue. Stopping early returns only what was not started.
    const remaining = time?.remainingMs();
    if (remaining !== undefined && remaining < reserve) {
      const left = event.Records.slice(index);
      log.warn(
        'stopping the batch early: too little time left for another record; the rest goes back to SQS',
        {
          remainingMs: remaining,
          reserveMs: reserve,
          returned: left.length,
        },
      );
      failures.push(...left.map((r) => ({ itemIdentifier: r.messageId })));
      break;
    }
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
      const what = message.kind === 'alert' ? 'triage' : message.kind;
      // Held elsewhere is the expected answer to a duplicate delivery: returned to the queue, not an error.
      if (error instanceof LeaseHeldError)
        recordLog.info(`${what} held by another delivery; SQS will redeliver`, {
          ...messageLogFields(message),
          reason: error.message,
        });
      else recordLog.error(`${what} failed; SQS will redeliver`, { ...messageLogFields(message), error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
