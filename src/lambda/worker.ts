// Lambda entry for the SQS worker: triages alerts and answers slash commands, reporting per-record failures.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EmfMetrics } from '../adapters/metrics/emf-metrics.js';
import { configSecrets, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { runMessage } from '../run-message.js';
import { WORKER_SECRET_KEYS } from '../secret-keys.js';
import { buildWorkerDeps } from '../wiring.js';
import { invocationScope } from './invocation.js';
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
const invoke = invocationScope(log);

export const handler = (event: SQSEvent, context?: Partial<Context>): Promise<SQSBatchResponse> =>
  invoke(context, async (invocationLog) => {
    metrics.count('MessagesReceived', event.Records.length);
    // Lambda always passes a context; a bare invocation (a local test of the bundle) runs without the guard.
    const remaining = context?.getRemainingTimeInMillis?.bind(context);
    try {
      return await processBatch(
        event,
        (message) => runMessage(message, deps),
        invocationLog,
        remaining ? { remainingMs: remaining } : undefined,
      );
    } finally {
      metrics.flush();
    }
  });
