// Local SQS stand-in speaking the AWS JSON 1.0 protocol that @aws-sdk/client-sqs uses: SendMessage,
// SendMessageBatch, ReceiveMessage (visibility timeout, receive counts, long polling, a dead-letter limit),
// DeleteMessage(Batch) and ChangeMessageVisibility, with SQS's size and batch limits and its error shapes.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SqsStandInOptions {
  /** The queue's MaximumMessageSize, which also caps a batch's total: 256 KiB unless raised. */
  readonly maxMessageBytes?: number;
  /** The queue's VisibilityTimeout in seconds (SQS's default is 30); a ReceiveMessage may set its own. */
  readonly visibilityTimeoutSec?: number;
  /** The redrive policy's maxReceiveCount: a message received this often and not deleted is dead-lettered. */
  readonly maxReceiveCount?: number;
}

export interface SqsCounts {
  /** Visible now or waiting out a visibility timeout. */
  readonly queued: number;
  readonly inFlight: number;
  readonly deleted: number;
  readonly deadLettered: number;
  /** Receives of a message that had been received before (after its visibility timeout ran out). */
  readonly redelivered: number;
}

export interface SqsStandIn {
  /** Endpoint for SQSClient's `endpoint`. */
  readonly url: string;
  /** A QueueUrl on this endpoint. */
  readonly queueUrl: string;
  /** Bodies accepted and not yet deleted, in arrival order. */
  readonly bodies: () => string[];
  /** Every request by action, with the outcome: 'ok' or the error type. */
  readonly requests: { action: string; outcome: string; entries: number }[];
  /** The next `n` requests answer 500 InternalFailure. */
  failNext(n: number): void;
  counts(): SqsCounts;
  /** Bodies moved to the dead-letter queue (received maxReceiveCount times and never deleted). */
  readonly deadLetters: () => string[];
  /** Resolves once every message sent has been deleted or dead-lettered; rejects after `withinMs`. */
  drained(withinMs: number): Promise<void>;
  /** Resolves once `check(counts())` holds, looked at on every change; rejects after `withinMs`. */
  until(check: (counts: SqsCounts) => boolean, withinMs: number): Promise<void>;
  close(): Promise<void>;
}

interface Stored {
  readonly id: string;
  readonly body: string;
  readonly sentAt: number;
  /** Only the latest receive's handle deletes the message, as in SQS. */
  receipt: string;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Invisible until then (ms since the epoch); 0 when never received. */
  visibleAt: number;
}

class SqsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSqsStandIn(options: SqsStandInOptions = {}): Promise<SqsStandIn> {
  const max = options.maxMessageBytes ?? 256 * 1024;
  const visibilitySec = options.visibilityTimeoutSec ?? 30;
  const queue: Stored[] = [];
  const dead: Stored[] = [];
  const requests: SqsStandIn['requests'] = [];
  let failures = 0;
  let deleted = 0;
  let redelivered = 0;
  let closed = false;
  // Long polls and drained() waiters, woken on every change.
  let wake: (() => void)[] = [];
  const changed = () => {
    const waiting = wake;
    wake = [];
    for (const w of waiting) w();
  };
  const nextChange = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(ms, 0));
      wake.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const accept = (body: unknown): Stored => {
    if (typeof body !== 'string' || body.length === 0)
      throw new SqsError(400, 'InvalidParameterValue', 'MessageBody is required');
    if (bytes(body) > max)
      throw new SqsError(400, 'InvalidParameterValue', `message must be shorter than ${max} bytes`);
    // SQS's documented character set (SendMessage, MessageBody); anything else is refused.
    if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(body))
      throw new SqsError(
        400,
        'InvalidMessageContents',
        'Invalid binary character in message body: characters outside #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    const stored: Stored = {
      id: randomUUID(),
      body,
      sentAt: Date.now(),
      receipt: randomUUID(),
      receiveCount: 0,
      visibleAt: 0,
    };
    queue.push(stored);
    changed();
    return stored;
  };

  const maxReceives = options.maxReceiveCount ?? Number.POSITIVE_INFINITY;
  const actions: Record<
    string,
    (input: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>
  > = {
    SendMessage: (input) => {
      const stored = accept(input.MessageBody);
      return { MessageId: stored.id, MD5OfMessageBody: md5(stored.body) };
    },
    SendMessageBatch: (input) => {
      const entries = (input.Entries ?? []) as { Id: string; MessageBody: string }[];
      if (entries.length === 0) throw new SqsError(400, 'EmptyBatchRequest', 'no entries');
      if (entries.length > 10) throw new SqsError(400, 'TooManyEntriesInBatchRequest', 'at most 10 entries');
      const total = entries.reduce((n, e) => n + bytes(e.MessageBody ?? ''), 0);
      if (total > max)
        throw new SqsError(400, 'BatchRequestTooLong', `batch of ${total} bytes exceeds ${max} bytes`);
      const successful = entries.map((e) => {
        const stored = accept(e.MessageBody);
        return { Id: e.Id, MessageId: stored.id, MD5OfMessageBody: md5(stored.body) };
      });
      return { Successful: successful, Failed: [] };
    },
    ReceiveMessage: async (input) => {
      const n = Number(input.MaxNumberOfMessages ?? 1);
      if (!Number.isInteger(n) || n < 1 || n > 10)
        throw new SqsError(400, 'InvalidParameterValue', 'MaxNumberOfMessages must be between 1 and 10');
      const hideMs = Number(input.VisibilityTimeout ?? visibilitySec) * 1000;
      const pollEnd = Date.now() + Number(input.WaitTimeSeconds ?? 0) * 1000;
      const wanted = new Set([
        ...((input.AttributeNames ?? []) as string[]),
        ...((input.MessageSystemAttributeNames ?? []) as string[]),
      ]);
      for (;;) {
        const now = Date.now();
        // A message past its last allowed receive goes to the dead-letter queue instead of being received again.
        for (const m of queue.filter((q) => q.visibleAt <= now && q.receiveCount >= maxReceives)) {
          queue.splice(queue.indexOf(m), 1);
          dead.push(m);
          changed();
        }
        const visible = queue.filter((m) => m.visibleAt <= now).slice(0, n);
        if (visible.length > 0 || now >= pollEnd || closed) {
          for (const m of visible) {
            if (m.receiveCount > 0) redelivered += 1;
            m.receiveCount += 1;
            m.firstReceivedAt ??= now;
            m.receipt = randomUUID();
            m.visibleAt = now + hideMs;
          }
          if (visible.length > 0) changed();
          return { Messages: visible.map((m) => shape(m, wanted)) };
        }
        const nextVisible = Math.min(...queue.map((m) => m.visibleAt), pollEnd);
        await nextChange(nextVisible - now);
      }
    },
    DeleteMessage: (input) => {
      remove(String(input.ReceiptHandle ?? ''));
      return {};
    },
    DeleteMessageBatch: (input) => {
      const entries = (input.Entries ?? []) as { Id: string; ReceiptHandle: string }[];
      if (entries.length === 0) throw new SqsError(400, 'EmptyBatchRequest', 'no entries');
      if (entries.length > 10) throw new SqsError(400, 'TooManyEntriesInBatchRequest', 'at most 10 entries');
      for (const e of entries) remove(e.ReceiptHandle);
      return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
    },
    ChangeMessageVisibility: (input) => {
      const m = queue.find((q) => q.receipt === input.ReceiptHandle && q.visibleAt > Date.now());
      if (!m) throw new SqsError(400, 'MessageNotInflight', 'the message is not in flight');
      m.visibleAt = Date.now() + Number(input.VisibilityTimeout ?? 0) * 1000;
      changed();
      return {};
    },
  };

  function counts(): SqsCounts {
    const now = Date.now();
    const inFlight = queue.filter((m) => m.visibleAt > now).length;
    return { queued: queue.length - inFlight, inFlight, deleted, deadLettered: dead.length, redelivered };
  }

  async function until(check: () => boolean, withinMs: number): Promise<void> {
    const end = Date.now() + withinMs;
    while (!check()) {
      if (Date.now() >= end || closed)
        throw new Error(
          `SQS stand-in: condition not reached within ${withinMs} ms: ${JSON.stringify(counts())}`,
        );
      await nextChange(end - Date.now());
    }
  }

  /** SQS answers success for a stale receipt handle too, but only the latest receive's handle deletes. */
  function remove(receipt: string): void {
    const i = queue.findIndex((m) => m.receipt === receipt);
    if (i < 0) return;
    queue.splice(i, 1);
    deleted += 1;
    changed();
  }

  function shape(m: Stored, wanted: Set<string>) {
    const all = wanted.has('All');
    const attributes: Record<string, string> = {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
    };
    const chosen = Object.entries(attributes).filter(([name]) => all || wanted.has(name));
    return {
      MessageId: m.id,
      ReceiptHandle: m.receipt,
      Body: m.body,
      MD5OfBody: md5(m.body),
      ...(chosen.length > 0 ? { Attributes: Object.fromEntries(chosen) } : {}),
    };
  }

  const answer = (
    res: ServerResponse,
    status: number,
    body: Record<string, unknown>,
    queryError?: string,
  ) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      ...(queryError ? { 'x-amzn-query-error': queryError } : {}),
    });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.replace(/^AmazonSQS\./, '');
    const text = await readBody(req);
    const record = (outcome: string, entries = 0) => requests.push({ action, outcome, entries });
    if (failures > 0) {
      failures -= 1;
      record('InternalFailure');
      answer(res, 500, { __type: 'com.amazonaws.sqs#InternalFailure', message: 'injected failure' });
      return;
    }
    const handler = actions[action];
    if (!handler) {
      record('InvalidAction');
      answer(res, 400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `unknown action ${action}` });
      return;
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch {
      record('SerializationException');
      answer(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      return;
    }
    const entries = Array.isArray(input.Entries) ? input.Entries.length : 1;
    try {
      const result = await handler(input);
      record('ok', entries);
      answer(res, 200, result);
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      record(error.type, entries);
      answer(
        res,
        error.status,
        { __type: `com.amazonaws.sqs#${error.type}`, message: error.message },
        `AWS.SimpleQueueService.${error.type};Sender`,
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    queueUrl: `${url}/000000000000/alert-triage`,
    bodies: () => queue.map((m) => m.body),
    requests,
    failNext: (n) => {
      failures += n;
    },
    counts,
    deadLetters: () => dead.map((m) => m.body),
    drained: (withinMs) => until(() => queue.length === 0, withinMs),
    until: (check, withinMs) => until(() => check(counts()), withinMs),
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        changed();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
