// Local SQS stand-in speaking the AWS JSON 1.0 protocol that @aws-sdk/client-sqs uses: SendMessage,
// SendMessageBatch, ReceiveMessage and DeleteMessage, with SQS's size and batch limits and its error shapes.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SqsStandInOptions {
  /** The queue's MaximumMessageSize, which also caps a batch's total: 256 KiB unless raised. */
  readonly maxMessageBytes?: number;
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
  close(): Promise<void>;
}

interface Stored {
  readonly id: string;
  readonly body: string;
  readonly receipt: string;
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
  const queue: Stored[] = [];
  const requests: SqsStandIn['requests'] = [];
  let failures = 0;

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
    const stored = { id: randomUUID(), body, receipt: randomUUID() };
    queue.push(stored);
    return stored;
  };

  const actions: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
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
    ReceiveMessage: (input) => {
      const n = Math.min(Number(input.MaxNumberOfMessages ?? 1), 10);
      return {
        Messages: queue.slice(0, n).map((m) => ({
          MessageId: m.id,
          ReceiptHandle: m.receipt,
          Body: m.body,
          MD5OfBody: md5(m.body),
        })),
      };
    },
    DeleteMessage: (input) => {
      const i = queue.findIndex((m) => m.receipt === input.ReceiptHandle);
      if (i >= 0) queue.splice(i, 1);
      return {};
    },
  };

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
      const result = handler(input);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
