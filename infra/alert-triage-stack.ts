// The whole service as one stack: table, secret, worker with its queues, ingest API and alarms, wired by grants.
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './constructs/alarms.js';
import { IncidentTable } from './constructs/incident-table.js';
import { IngestApi } from './constructs/ingest-api.js';
import { Secrets } from './constructs/secrets.js';
import { TriageWorker } from './constructs/triage-worker.js';
import type { AlertTriageSettings } from './settings.js';

export interface AlertTriageStackProps extends StackProps {
  readonly settings: AlertTriageSettings;
}

const lambdaEntry = (name: 'api' | 'worker'): string =>
  fileURLToPath(new URL(`../src/lambda/${name}.ts`, import.meta.url));

export class AlertTriageStack extends Stack {
  readonly table: IncidentTable;
  readonly secrets: Secrets;
  readonly worker: TriageWorker;
  readonly api: IngestApi;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: AlertTriageStackProps) {
    super(scope, id, props);
    const { settings } = props;

    for (const key of settings.placeholders) {
      Annotations.of(this).addWarningV2(
        `alert-triage:placeholder-${key}`,
        `context ${key} not set: deploying a placeholder; pass -c ${key}=... (see docs/deploy.md)`,
      );
    }

    this.table = new IncidentTable(this, 'IncidentTable');
    this.secrets = new Secrets(this, 'Secrets');

    // Shared by both Lambdas; credentials are not here but in the secret, read once per cold start.
    const environment: Record<string, string> = {
      TABLE_NAME: this.table.table.tableName,
      SLACK_CHANNEL: settings.slackChannel,
      CLUSTER_PROXY_URL: settings.clusterProxyUrl,
      PROMETHEUS_SERVICE: settings.prometheusService,
      ...(settings.prometheusUrl === undefined ? {} : { PROMETHEUS_URL: settings.prometheusUrl }),
      ...settings.passthrough,
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'alert-triage',
    };

    this.worker = new TriageWorker(this, 'TriageWorker', {
      entry: lambdaEntry('worker'),
      table: this.table,
      secret: this.secrets.workerSecret,
      environment: { ...environment, SECRETS_ARN: this.secrets.workerSecret.secretArn },
    });

    this.api = new IngestApi(this, 'IngestApi', {
      entry: lambdaEntry('api'),
      table: this.table,
      queue: this.worker.queue,
      secret: this.secrets.apiSecret,
      environment: { ...environment, SECRETS_ARN: this.secrets.apiSecret.secretArn },
    });

    this.alarms = new Alarms(this, 'Alarms', {
      queue: this.worker.queue,
      deadLetterQueue: this.worker.deadLetterQueue,
      worker: this.worker.fn,
      apiLogs: this.api.logGroup,
    });

    new CfnOutput(this, 'WebhookUrl', {
      value: `${this.api.url}alertmanager`,
      description: 'Alertmanager webhook_configs url (Bearer WEBHOOK_TOKEN from the secret)',
    });
    new CfnOutput(this, 'IncidentsUrl', {
      value: `${this.api.url}incidents`,
      description: 'Incident history API (Bearer API_TOKEN from the secret)',
    });
    new CfnOutput(this, 'ApiSecretArn', {
      value: this.secrets.apiSecret.secretArn,
      description: "The api function's secret: fill in API_TOKEN, PLAYBOOK_TOKEN, SLACK_SIGNING_SECRET",
    });
    new CfnOutput(this, 'WorkerSecretArn', {
      value: this.secrets.workerSecret.secretArn,
      description: "The worker function's secret: fill in SLACK_BOT_TOKEN, CLUSTER_PROXY_TOKEN",
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.worker.deadLetterQueue.queueUrl,
      description: 'Alerts whose triage failed 5 times; inspect, fix, then redrive to the main queue',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'SNS topic the CloudWatch alarms notify; subscribe on-call to it',
    });
  }
}
