// HTTP API in front of the api Lambda (hono): every path goes to the app, which authenticates and enqueues.
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  type HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
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

/**
 * Per-route limits inside the stage's: each route has its own token bucket, so traffic on one (anonymous requests
 * to unknown paths, a flood of slash commands) cannot spend the budget of another, above all /alertmanager's.
 * HTTP APIs cannot carry an AWS WAF web ACL; a per-client limit needs CloudFront + WAF in front (docs/security.md).
 */
export const ROUTE_THROTTLES: Readonly<Record<string, { rateLimit: number; burstLimit: number }>> = {
  'POST /alertmanager': { rateLimit: 40, burstLimit: 80 },
  'POST /slack/commands': { rateLimit: 5, burstLimit: 10 },
  'GET /incidents': { rateLimit: 5, burstLimit: 10 },
  'GET /incidents/{id}': { rateLimit: 5, burstLimit: 10 },
  'ANY /playbooks': { rateLimit: 2, burstLimit: 5 },
  'ANY /playbooks/{id}': { rateLimit: 2, burstLimit: 5 },
  'GET /openapi.json': { rateLimit: 1, burstLimit: 2 },
  'GET /healthz': { rateLimit: 1, burstLimit: 2 },
  // Everything else: unknown paths and methods, answered 404/405 by the app.
  $default: { rateLimit: 1, burstLimit: 5 },
};

/** Key prefixes (partition keys) the api function may write: playbook entries and the slash-command replay marks. */
export const API_WRITABLE_KEYS = ['PLAYBOOK', 'SLACKREQ#*'] as const;

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
      // Unknown paths go to the app too (404/405), under the $default route's own small throttle.
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', this.fn),
      // The default stage is created below: HttpApi's own has no throttling or access-log options.
      createDefaultStage: false,
    });

    const integration = new HttpLambdaIntegration('RouteIntegration', this.fn);
    for (const routeKey of Object.keys(ROUTE_THROTTLES)) {
      if (routeKey === '$default') continue;
      const [method = '', path = ''] = routeKey.split(' ');
      this.httpApi.addRoutes({ path, methods: [method as HttpMethod], integration });
    }

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

    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      Object.entries(ROUTE_THROTTLES).map(([key, t]) => [
        key,
        // Passed to CloudFormation as written (the property is untyped JSON): its own PascalCase names.
        { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit },
      ]),
    );

    // What the api does with the table: reads incidents and the playbook, writes playbook entries and replay marks.
    const table = props.table.table;
    const tableArns = [table.tableArn, `${table.tableArn}/index/*`];
    this.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: tableArns,
      }),
    );
    this.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...API_WRITABLE_KEYS] } },
      }),
    );
    const tableLogicalId = Stack.of(this).resolve(
      Stack.of(this).getLogicalId(table.node.defaultChild as CfnTable),
    ) as string;
    Validations.of(this.fn.role ?? this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      reason:
        "GetItem and Query on this table's own indexes (the history API's filters), never another table; " +
        'writes are limited to playbook and replay-mark partition keys.',
    });
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
