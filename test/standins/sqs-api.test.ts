// The SQS stand-in's receive semantics, through the real @aws-sdk/client-sqs: a received message is hidden for its
// visibility timeout and then received again with a higher receive count; only the latest receipt deletes it; a
// message received maxReceiveCount times is dead-lettered; a long poll ends when a message becomes visible.
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SqsStandIn, startSqsStandIn } from '../support/standins/sqs-api.js';

let sqs: SqsStandIn;
let client: SQSClient;
beforeEach(async () => {
  sqs = await startSqsStandIn({ maxReceiveCount: 3 });
  client = new SQSClient({
    endpoint: sqs.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
  });
});
afterEach(async () => {
  client.destroy();
  await sqs.close();
});

const receive = (visibility: number, wait = 0) =>
  client.send(
    new ReceiveMessageCommand({
      QueueUrl: sqs.queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibility,
      WaitTimeSeconds: wait,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );

describe('SQS stand-in: visibility and redelivery', () => {
  it('hides a received message, redelivers it with its receive count, and deletes only by the latest receipt', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl, MessageBody: 'one' }));
    const first = await receive(30);
    expect(first.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
      ['one', '1'],
    ]);
    expect((await receive(30)).Messages ?? []).toEqual([]);
    expect(sqs.counts()).toMatchObject({ inFlight: 1, queued: 0 });

    // Visibility 0 lets it be received again at once, as after its timeout ran out.
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl, MessageBody: 'two' }));
    const hidden = await receive(0);
    const again = await receive(30);
    expect(again.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
      ['two', '2'],
    ]);
    expect(sqs.counts().redelivered).toBe(1);

    // The stale receipt is answered with success but deletes nothing, as SQS documents.
    const stale = hidden.Messages?.[0]?.ReceiptHandle;
    await client.send(new DeleteMessageCommand({ QueueUrl: sqs.queueUrl, ReceiptHandle: stale }));
    expect(sqs.bodies()).toEqual(['one', 'two']);
    const latest = again.Messages?.[0]?.ReceiptHandle;
    await client.send(new DeleteMessageCommand({ QueueUrl: sqs.queueUrl, ReceiptHandle: latest }));
    expect(sqs.bodies()).toEqual(['one']);
  });

  it('dead-letters a message received maxReceiveCount times, and drained() then resolves', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl, MessageBody: 'poison' }));
    for (let i = 0; i < 3; i += 1) expect((await receive(0)).Messages).toHaveLength(1);
    expect((await receive(0)).Messages ?? []).toEqual([]);
    expect(sqs.deadLetters()).toEqual(['poison']);
    await sqs.drained(5000);
  });

  it('a long poll returns when a message is sent, without waiting out its wait time', async () => {
    const polled = receive(30, 20);
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl, MessageBody: 'late' }));
    expect((await polled).Messages?.map((m) => m.Body)).toEqual(['late']);
  });
});
