// Lambda entry for the SQS worker: runs triage per record and reports per-record failures for redelivery.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { buildPlaybookStore, buildStore, buildThreadIndex } from '../stores.js';
import { triage } from '../triage/triage.js';
import { buildInspector, buildNotifier, playbookSignatures } from '../wiring.js';
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
  signatures: playbookSignatures(buildPlaybookStore(config, dynamo)),
  log,
};

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
  processBatch(event, (envelope) => triage(envelope, deps), log);
