// The triage queue, its dead-letter queue and the worker Lambda that drains it (gather -> diagnose -> record -> notify).
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
// The concrete class, not ISecret: under exactOptionalPropertyTypes Secret's optional secretFullArn does not fit ISecret.
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BundledFunction } from './bundled-function.js';
import type { IncidentTable } from './incident-table.js';

export interface TriageWorkerProps {
  readonly entry: string;
  readonly table: IncidentTable;
  readonly secret: Secret;
  readonly environment: Readonly<Record<string, string>>;
}

export const WORKER_TIMEOUT = Duration.seconds(60);
/** Receives before a message is parked in the DLQ; Alertmanager re-sends anyway while the alert fires. */
export const MAX_RECEIVE_COUNT = 5;
/**
 * At most this many worker invocations run at once. Slack allows about one message per second per channel,
 * so the bound is on the SQS event source: unlike reserved concurrency it makes the poller hold messages back
 * instead of having Lambda throttle them, and throttled receives would count toward MAX_RECEIVE_COUNT.
 */
export const WORKER_MAX_CONCURRENCY = 2;
/**
 * The cluster request budget of one worker invocation (CLUSTER_QPS, CLUSTER_BURST: client-go's defaults are
 * 5/10 for a controller; a triage worker reads more in bursts). Each concurrent invocation has its own bucket, so
 * the deployment's rate is WORKER_MAX_CONCURRENCY times these, kept under CLUSTER_REQUEST_CEILING.
 */
export const CLUSTER_QPS = 20;
export const CLUSTER_BURST = 40;
/** Requests per second the whole deployment may send to the API server, sustained (bursts: concurrency x burst). */
export const CLUSTER_REQUEST_CEILING = 50;
if (WORKER_MAX_CONCURRENCY * CLUSTER_QPS > CLUSTER_REQUEST_CEILING)
  throw new Error('worker concurrency x CLUSTER_QPS exceeds the documented cluster request ceiling');

export class TriageWorker extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: TriageWorkerProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for Lambda event sources: six times the function timeout, so a message is not
      // redelivered while a slow batch (and its retries of throttled Slack calls) is still running.
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const worker = new BundledFunction(this, 'Worker', {
      entry: props.entry,
      description: 'alert-triage worker: gathers cluster context, diagnoses, records and notifies Slack',
      // Measured (BENCHMARKS.md, `npm run bench -- worker-time`): peak RSS about 210 MiB, and most of an alert's
      // time is spent waiting on Slack and DynamoDB, which more memory (more CPU) does not shorten. 512 MB keeps
      // over twice that as headroom and costs about 40% less per alert than 1,024 MB.
      memorySize: 512,
      timeout: WORKER_TIMEOUT,
      environment: {
        ...props.environment,
        CLUSTER_QPS: String(CLUSTER_QPS),
        CLUSTER_BURST: String(CLUSTER_BURST),
      },
    });
    this.fn = worker.fn;

    // No reservedConcurrentExecutions: maxConcurrency below already bounds the worker, and reserving would take
    // capacity from the account pool (deploys fail on accounts with the default low limit of 10).
    this.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: WORKER_MAX_CONCURRENCY,
      }),
    );

    props.table.grantReadWriteData(this.fn);
    props.secret.grantRead(this.fn);
  }
}
