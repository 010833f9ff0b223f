// Lambda entry for the HTTP API: the same app as local mode, queueing to SQS. Configuration fails closed at cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { handle } from 'hono/aws-lambda';
import { DynamoReplayGuard } from '../adapters/dynamo/replay-guard.js';
import { SqsQueue } from '../adapters/queue/sqs-queue.js';
import { configSecrets, loadConfig } from '../config.js';
import { BUILT_IN_SIGNATURES } from '../domain/catalog/index.js';
import { createApp } from '../http/app.js';
import { createLogger } from '../log.js';
import { API_SECRET_KEYS } from '../secret-keys.js';
import { buildInteractionRoute, buildPlaybookStore, buildStore } from '../stores.js';
import { invocationScope } from './invocation.js';
import { withSecrets } from './secrets.js';

const config = loadConfig(await withSecrets(process.env, API_SECRET_KEYS), 'lambda', 'api');
if (!config.queueUrl) throw new Error('invalid configuration: QUEUE_URL is required for the api function');

const log = createLogger({
  level: config.logLevel,
  secrets: configSecrets(config),
  fields: { function: 'api' },
});
for (const warning of config.substitutions) log.warn(`configuration: ${warning}`);
const dynamo = new DynamoDBClient(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {});
const queue = new SqsQueue(new SQSClient({}), config.queueUrl);
const app = createApp({
  webhookToken: config.webhookToken,
  apiToken: config.apiToken,
  playbookToken: config.playbookToken,
  queue,
  store: buildStore(config, dynamo),
  playbooks: buildPlaybookStore(config, dynamo),
  builtIns: BUILT_IN_SIGNATURES,
  ignoredAlerts: config.ignoredAlerts,
  log,
  // Commands go to the worker with the alerts: this function freezes as soon as it has answered Slack.
  // Replays are refused across every api instance: the first conditional put of a request wins.
  slack: {
    signingSecret: config.slackSigningSecret,
    queue,
    slackApiUrl: config.slackApiUrl,
    access: config.slackAccess,
    replays: new DynamoReplayGuard(dynamo, config.tableName),
  },
  interactions: buildInteractionRoute(config, dynamo, queue),
});

const serve = handle(app);
const invoke = invocationScope(log);

export const handler = (...[event, context]: Parameters<typeof serve>) =>
  invoke(context, () => serve(event, context));
