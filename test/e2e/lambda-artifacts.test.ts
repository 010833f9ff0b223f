// The deployable artifacts themselves: the api and worker bundles, built as infra builds them, run in fresh
// Node processes against loopback stand-ins (SQS, Kubernetes, Slack, DynamoDB). A webhook goes in as an API
// Gateway event, comes out of SQS, and the worker turns it into one Slack message and one incident.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../infra/lambda-bundle.js';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { incidentFromItem } from '../../src/adapters/dynamo/incident-data.js';
import { withRecorded } from '../../src/adapters/dynamo/incident-lease.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamo.js';
import { httpEvent } from '../support/api-gateway-event.js';
import { type SlackStandIn, startSlackStandIn } from '../support/standins/slack-api.js';
import { type SqsStandIn, startSqsStandIn } from '../support/standins/sqs-api.js';

const run = promisify(execFile);
const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
const WEBHOOK_TOKEN = 'artifact-webhook-token-0123456789';
const SLACK_TOKEN = 'xoxb-artifact-0000000000-EXAMPLE';
const TABLE = 'artifact-incidents';

let dir: string;
let k8s: KubernetesStandIn;
let slack: SlackStandIn;
let sqs: SqsStandIn;
let dynamo: EmbeddedDynamo;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-artifacts-'));
  [k8s, slack, sqs, dynamo] = await Promise.all([
    startKubernetesStandIn({ cluster: oom.cluster }),
    startSlackStandIn({ token: SLACK_TOKEN }),
    startSqsStandIn(),
    startEmbeddedDynamo(),
    bundleLambda('api', join(dir, 'api.mjs')),
    bundleLambda('worker', join(dir, 'worker.mjs')),
  ]);
  await ensureTable(dynamo.client, TABLE);
  env = {
    PATH: process.env.PATH ?? '',
    WEBHOOK_TOKEN,
    API_TOKEN: 'artifact-api-token-0123456789abcdef',
    CLUSTER_PROXY_URL: k8s.url,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_CHANNEL: 'C0ALERTS01',
    SLACK_API_URL: slack.url,
    SLACK_POST_INTERVAL_MS: '0',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    TABLE_NAME: TABLE,
    QUEUE_URL: sqs.queueUrl,
    // The AWS SDK's service-specific endpoint variable points the api's SQS client at the stand-in.
    AWS_ENDPOINT_URL_SQS: sqs.url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDARTIFACT',
    AWS_SECRET_ACCESS_KEY: 'artifact-secret',
  };
  // Runs `handler(event, context)` of a bundle in a fresh Node process and prints the result as JSON.
  writeFileSync(
    join(dir, 'invoke.mjs'),
    [
      "import { readFileSync } from 'node:fs';",
      'const [bundle, eventFile, awsRequestId] = process.argv.slice(2);',
      'const { handler } = await import(bundle);',
      "const result = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), { awsRequestId });",
      "process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');",
    ].join('\n'),
  );
}, 300_000);

afterAll(async () => {
  await Promise.all([k8s?.close(), slack?.close(), sqs?.close(), dynamo?.close()]);
});

/** The JSON log lines each invocation wrote, by its request id. */
const logged = new Map<string, Record<string, unknown>[]>();

async function invoke(name: 'api' | 'worker', event: unknown): Promise<Record<string, unknown>> {
  const eventFile = join(dir, `${name}-event.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  const requestId = `${name}-request-${logged.size + 1}`;
  const { stdout } = await run(
    process.execPath,
    [join(dir, 'invoke.mjs'), join(dir, `${name}.mjs`), eventFile, requestId],
    {
      env,
      timeout: 60_000,
    },
  );
  logged.set(
    requestId,
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result from the ${name} bundle; stdout:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
}

describe('the Lambda bundles, end to end', () => {
  it('api bundle: a webhook is answered 200 and queued on SQS; without the token it is refused', async () => {
    const body = JSON.stringify(oom.webhook);
    const refused = await invoke('api', httpEvent('/alertmanager', body, {}));
    expect(refused.statusCode).toBe(401);
    expect(sqs.bodies()).toEqual([]);

    const accepted = await invoke(
      'api',
      httpEvent('/alertmanager', body, { authorization: `Bearer ${WEBHOOK_TOKEN}` }),
    );
    expect(accepted).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(String(accepted.body))).toEqual({ accepted: 1 });
    expect(sqs.bodies()).toHaveLength(1);
  }, 300_000);

  it('worker bundle: the queued message becomes one diagnosed incident and one Slack message', async () => {
    const [body] = sqs.bodies();
    expect(body).toBeDefined();
    const record = (messageId: string) => ({
      messageId,
      receiptHandle: `rh-${messageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1795422240000',
        SenderId: 'AIDAARTIFACT',
        ApproximateFirstReceiveTimestamp: '1795422240001',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:alert-triage',
      awsRegion: 'eu-west-1',
    });
    // The same message twice in one batch (an SQS redelivery): still one Slack message.
    const result = await invoke('worker', { Records: [record('m-1'), record('m-2')] });
    expect(result).toEqual({ batchItemFailures: [] });

    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body.blocks)).toContain('OOMKilled');
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: TABLE }));
    // Each incident is two items: the incident (compressed data) and its lease item (the recorded notification).
    const lease = (pk: string | undefined) => Items.find((i) => i.pk?.S === pk && i.sk?.S === 'LEASE');
    const incidents = Items.filter((i) => i.sk?.S === 'INC').map((i) =>
      withRecorded(incidentFromItem(i), lease(i.pk?.S)),
    );
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.findings[0]?.signatureId).toBe('container-oom-killed');
    expect(incidents[0]?.notifications).toHaveLength(1);
  }, 300_000);

  it('every line an invocation logs carries its request id and the cold-start flag', () => {
    const invocations = [...logged.entries()];
    expect(invocations.map(([id]) => id)).toEqual(['api-request-1', 'api-request-2', 'worker-request-3']);
    const worker = logged.get('worker-request-3') ?? [];
    expect(worker.map((l) => l.message)).toContain('triage done');
    for (const [requestId, lines] of invocations) {
      // The cold start's own lines (configuration warnings) come before the invocation; every other log line (not
      // the metrics, which are EMF documents) is in it.
      const during = lines.filter((l) => 'level' in l && !String(l.message).startsWith('configuration: '));
      for (const line of during) expect(line, requestId).toMatchObject({ requestId, coldStart: true });
    }
  });
});
