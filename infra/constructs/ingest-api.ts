// HTTP API in front of the api Lambda (hono): every path goes to the app, which authenticates and enqueues.
import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
// The concrete class, not ISecret: under exactOptionalPropertyTypes Secret's optional secretFullArn does not fit ISecret.
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BundledFunction } from './bundled-function.js';
import type { IncidentTable } from './incident-table.js';

export interface IngestApiProps {
  readonly entry: string;
  readonly table: IncidentTable;
  readonly queue: IQueue;
  readonly secret: Secret;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Stage-wide limits. Alertmanager, Slack and the incident API together need a few requests per second;
 * the bound caps what a leaked URL can cost, since rejecting a bad token still takes a Lambda invocation.
 */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

// HTTP API $context variables; no headers, so no Authorization value can end up in the log.
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

export class IngestApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly fn: NodejsFunction;
  /** The api function's own log group (JSON lines): alarms count refused and unqueued deliveries in it. */
  readonly logGroup: LogGroup;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);

    const api = new BundledFunction(this, 'Api', {
      entry: props.entry,
      description: 'alert-triage api: Alertmanager webhook, Slack commands, incident and playbook APIs',
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { ...props.environment, QUEUE_URL: props.queue.queueUrl },
    });
    this.fn = api.fn;
    this.logGroup = api.logGroup;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'alert-triage ingest: all routes are served by the api Lambda',
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', this.fn),
      // The default stage is created below: HttpApi's own has no throttling or access-log options.
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    props.table.grantReadWriteData(this.fn);
    props.queue.grantSendMessages(this.fn);
    props.secret.grantRead(this.fn);

    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Authentication happens in the app, per route: bearer WEBHOOK_TOKEN for /alertmanager, bearer API_TOKEN ' +
        'for /incidents and /playbooks, Slack v0 request signatures for /slack/commands, none for /healthz. ' +
        'One $default route cannot carry three schemes, and Slack cannot send an authorizer-friendly header.',
    });
  }

  /** Base URL of the default stage, ending in '/'. */
  get url(): string {
    return this.stage.url;
  }
}
