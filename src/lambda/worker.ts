// Lambda entry for the SQS worker: triages alerts and answers slash commands, reporting per-record failures.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../config.js';
import { BUILT_IN_SIGNATURES } from '../domain/catalog/index.js';
import { createLogger } from '../log.js';
import { runMessage } from '../run-message.js';
import { buildPlaybookStore, buildStore, buildStormStore, buildThreadIndex } from '../stores.js';
import { buildInspector, buildNotifier, buildResponsePoster, playbookSignatures } from '../wiring.js';
import { processBatch } from './process-batch.js';
import { withSecrets } from './secrets.js';

const config = loadConfig(await withSecrets(process.env), 'lambda');
const log = createLogger({
  level: config.logLevel,
  secrets: [
    config.webhookToken,
    config.apiToken,
    config.slackSigningSecret,
    config.slack.mode === 'api' ? config.slack.token : undefined,
    config.cluster.mode === 'proxy' ? config.cluster.token : undefined,
  ],
  fields: { function: 'worker' },
});
const dynamo = new DynamoDBClient(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {});
const deps = {
  inspector: buildInspector(config),
  store: buildStore(config, dynamo),
  notifier: buildNotifier(config),
  threads: buildThreadIndex(config, dynamo),
  storms: buildStormStore(config, dynamo),
  nodeLogQueries: config.nodeLogQueries,
  signatures: playbookSignatures(buildPlaybookStore(config, dynamo)),
  log,
};

// Slash commands the api function queued: answered here, since the api's process freezes once it has replied.
const commands = {
  inspector: deps.inspector,
  signatures: deps.signatures,
  store: deps.store,
  playbooks: buildPlaybookStore(config, dynamo),
  builtIns: BUILT_IN_SIGNATURES,
  respond: buildResponsePoster(config),
  log,
};

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
  processBatch(event, (message) => runMessage(message, { triage: deps, commands }), log);
