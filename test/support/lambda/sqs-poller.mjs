// Runs a worker bundle as Lambda's SQS event source mapping does: receive up to ten, invoke the handler with a
// context whose clock runs down, delete what did not fail. Started as a child process, so a test can SIGKILL it.
// Usage: node sqs-poller.mjs <bundle.mjs>; env POLL_QUEUE_URL, POLL_SQS_ENDPOINT, POLL_TIMEOUT_MS.
const [bundle] = process.argv.slice(2);
const endpoint = process.env.POLL_SQS_ENDPOINT;
const queueUrl = process.env.POLL_QUEUE_URL;
const timeoutMs = Number(process.env.POLL_TIMEOUT_MS ?? 60_000);
const { handler } = await import(bundle);

async function sqs(action, input) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
    body: JSON.stringify({ QueueUrl: queueUrl, ...input }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${action}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

process.on('SIGTERM', () => process.exit(0));
process.stdout.write('poller: ready\n');
for (let batch = 1; ; ) {
  const { Messages = [] } = await sqs('ReceiveMessage', {
    MaxNumberOfMessages: 10,
    WaitTimeSeconds: 1,
    MessageSystemAttributeNames: ['All'],
  });
  if (Messages.length === 0) continue;
  process.stdout.write(`poller: batch ${batch} received ${Messages.length}\n`);
  const deadline = Date.now() + timeoutMs;
  const event = {
    Records: Messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: m.Attributes ?? {},
      messageAttributes: {},
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:alert-triage',
      awsRegion: 'eu-west-1',
    })),
  };
  const context = { getRemainingTimeInMillis: () => deadline - Date.now(), functionName: 'worker' };
  let failed = new Set(Messages.map((m) => m.MessageId));
  // Lambda ends an invocation at its timeout; the batch's messages then wait out their visibility timeout.
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    const result = await Promise.race([handler(event, context), timedOut]);
    clearTimeout(timer);
    if (result === undefined) {
      process.stdout.write(`poller: batch ${batch} timed out after ${timeoutMs} ms\n`);
      process.exit(1);
    }
    failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch (error) {
    // A thrown handler fails the whole batch: every message waits out its visibility timeout.
    process.stdout.write(`poller: handler threw ${error?.message ?? error}\n`);
  }
  const done = Messages.filter((m) => !failed.has(m.MessageId));
  if (done.length > 0)
    await sqs('DeleteMessageBatch', {
      Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
    });
  process.stdout.write(`poller: batch ${batch} done ${done.length} failed ${failed.size}\n`);
  batch += 1;
}
