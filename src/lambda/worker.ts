// Lambda entry for the SQS worker: triages alerts and answers slash commands, reporting per-record failures.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EmfMetrics } from '../adapters/metrics/emf-metrics.js';
import { configSecrets, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { runMessage } from '../run-message.js';
import { WORKER_SECRET_KEYS } from '../secret-keys.js';
import { buildWorkerDeps } from '../wiring.js';
import { processBatch } from './process-batch.js';
import { withSecrets } from './secrets.js';

const config = loadConfig(await withSecrets(process.env, WORKER_SECRET_KEYS), 'lambda', 'worker');
const log = createLogger({
  level: config.logLevel,
  secrets: configSecrets(config),
  fields: { function: 'worker' },
});
const dynamo = new DynamoDBClient(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {});
const metrics = new EmfMetrics();
const deps = buildWorkerDeps(config, dynamo, log, { metrics });

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  metrics.count('MessagesReceived', event.Records.length);
  try {
    return await processBatch(event, (message) => runMessage(message, deps), log);
  } finally {
    metrics.flush();
  }
};
