// What the stack synthesizes to, construct by construct, and the cdk-nag gate that fails synthesis on a finding.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_REFUSED, WEBHOOK_UNQUEUED } from '../src/http/log-messages.js';
import { configureApp } from './alert-triage-app.js';
import type { AlertTriageStack } from './alert-triage-stack.js';
import { ROUTE_THROTTLES } from './constructs/ingest-api.js';
import {
  API_SECRET_KEYS,
  API_SECRET_NAME,
  GENERATED_SECRET_KEY,
  WORKER_SECRET_KEYS,
  WORKER_SECRET_NAME,
} from './constructs/secrets.js';
import { ESM_REQUIRE_BANNER } from './lambda-bundle.js';
import { DEPLOY_CONTEXT, type Json, NO_BUNDLING, newApp } from './testing.js';

const SHARED_ENV = [
  'TABLE_NAME',
  'SECRETS_ARN',
  'SLACK_CHANNEL',
  'CLUSTER_PROXY_URL',
  'PROMETHEUS_SERVICE',
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
];

function onlyResource(template: Template, type: string, props: Json = {}): [string, Json] {
  const found = Object.entries(template.findResources(type, props));
  expect(found, `${type} matching ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0] as [string, Json];
}

describe('AlertTriageStack', { timeout: 120_000 }, () => {
  let app: App;
  let stack: AlertTriageStack;
  let template: Template;

  beforeAll(() => {
    app = newApp(DEPLOY_CONTEXT);
    stack = configureApp(app);
    // Synthesizes with real esbuild bundling of src/lambda and runs the cdk-nag plugin registered on the app.
    template = Template.fromStack(stack);
  }, 300_000);

  /** Logical id of an L2 construct's CloudFormation resource. */
  const id = (construct: IConstruct): string =>
    stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;

  const fn = (name: 'api' | 'worker') =>
    onlyResource(template, 'AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(`^alert-triage ${name}:`) },
    });

  const policyOf = (name: 'api' | 'worker'): Json[] => {
    const roleId = ((fn(name)[1].Properties as Json).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const [, policy] = onlyResource(template, 'AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: roleId }] },
    });
    return ((policy.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement;
  };

  const statementFor = (statements: Json[], action: string): Json => {
    const found = statements.filter((s) => ([] as unknown[]).concat(s.Action).includes(action));
    expect(found, action).toHaveLength(1);
    return found[0] as Json;
  };

  it('incident table: pk/sk, on demand, PITR, TTL expiresAt, gsi1..gsi6, AWS-managed SSE, retained', () => {
    const gsi = (n: number) => ({
      IndexName: `gsi${n}`,
      KeySchema: [
        { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
        { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: [
          // The status key only on the status index: a resolve rewrites no other index item.
          ...['gsi1pk', 'gsi2pk', 'gsi3pk', 'gsi4pk', 'gsi5pk', 'gsi6pk'].filter(
            (a) => n === 2 || a !== 'gsi2pk',
          ),
          'acknowledgedAt',
          // The signature index also carries the workload, for recurrence.
          ...(n === 6 ? ['subject'] : []),
        ],
      },
    });
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
        GlobalSecondaryIndexes: [1, 2, 3, 4, 5, 6].map(gsi),
        AttributeDefinitions: Match.arrayWith([{ AttributeName: 'gsi6sk', AttributeType: 'S' }]),
      },
    });
  });

  it('secrets: one per function; the api one generates WEBHOOK_TOKEN, the worker one starts empty', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')).map(
      (r) => r.Properties as { Name: string; GenerateSecretString?: Json; SecretString?: string },
    );
    expect(secrets.map((p) => p.Name).sort()).toEqual([API_SECRET_NAME, WORKER_SECRET_NAME].sort());
    const api = secrets.find((p) => p.Name === API_SECRET_NAME);
    expect(api?.GenerateSecretString?.GenerateStringKey).toBe(GENERATED_SECRET_KEY);
    const initial = JSON.parse(api?.GenerateSecretString?.SecretStringTemplate as string) as Json;
    expect(Object.keys(initial).sort()).toEqual(
      API_SECRET_KEYS.filter((k) => k !== GENERATED_SECRET_KEY).sort(),
    );
    const worker = secrets.find((p) => p.Name === WORKER_SECRET_NAME);
    expect(JSON.parse(worker?.SecretString ?? '{}')).toEqual({
      SLACK_BOT_TOKEN: '',
      CLUSTER_PROXY_TOKEN: '',
    });
    expect([...WORKER_SECRET_KEYS].sort()).toEqual(['CLUSTER_PROXY_TOKEN', 'SLACK_BOT_TOKEN']);
  });

  it('secrets: each function reads only its own (the api never the cluster or Slack bot token)', () => {
    const apiSecret = { Ref: id(stack.secrets.apiSecret) };
    const workerSecret = { Ref: id(stack.secrets.workerSecret) };
    expect(statementFor(policyOf('api'), 'secretsmanager:GetSecretValue').Resource).toEqual(apiSecret);
    expect(statementFor(policyOf('worker'), 'secretsmanager:GetSecretValue').Resource).toEqual(workerSecret);
    const env = (name: 'api' | 'worker') =>
      ((fn(name)[1].Properties as Json).Environment as { Variables: Json }).Variables;
    expect(env('api').SECRETS_ARN).toEqual(apiSecret);
    expect(env('worker').SECRETS_ARN).toEqual(workerSecret);
  });

  it('api table grant: reads, and writes only playbook entries and replay marks', () => {
    const api = policyOf('api');
    const actions = api
      .flatMap((s) => ([] as unknown[]).concat(s.Action))
      .filter((a) => String(a).startsWith('dynamodb:'));
    expect(actions.sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    expect(statementFor(api, 'dynamodb:PutItem').Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PLAYBOOK', 'SLACKREQ#*'] },
    });
  });

  it("throttles per route, so anonymous paths cannot spend /alertmanager's budget", () => {
    const [, stage] = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
    const settings = (stage.Properties as Json).RouteSettings as Record<string, Json>;
    expect(settings['POST /alertmanager']).toEqual({ ThrottlingRateLimit: 40, ThrottlingBurstLimit: 80 });
    expect(settings.$default).toEqual({ ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r.Properties as Json).RouteKey,
    );
    expect(routes.sort()).toEqual(Object.keys(ROUTE_THROTTLES).sort());
    // Every route's budget plus the others' stays within the stage's.
    const sum = Object.values(ROUTE_THROTTLES).reduce((n, t) => n + t.rateLimit, 0);
    expect(sum).toBeLessThanOrEqual(70);
  });

  it('queues: SSE and TLS-only, DLQ after 5 receives kept 14 days, visibility 6x the worker timeout', () => {
    const dlqId = id(stack.worker.deadLetterQueue);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    const tlsOnly = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      { PolicyDocument: { Statement: Match.arrayWith([tlsOnly]) } },
      2,
    );
  });

  it('worker event source: batches of 10, partial batch failures, at most 2 concurrent invocations', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(stack.worker.queue), 'Arn'] },
      FunctionName: { Ref: fn('worker')[0] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('functions: only the two app Lambdas, Node 24 on arm64, JSON logs, sizes and environment', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    const expected = { api: { MemorySize: 256, Timeout: 10 }, worker: { MemorySize: 512, Timeout: 60 } };
    for (const name of ['api', 'worker'] as const) {
      const props = fn(name)[1].Properties as Json & { Environment: { Variables: Json } };
      expect(props).toMatchObject({
        ...expected[name],
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON' },
      });
      const env = props.Environment.Variables;
      expect(Object.keys(env)).toEqual(expect.arrayContaining(SHARED_ENV));
      expect(env).toMatchObject({
        SLACK_CHANNEL: 'C0123456789',
        CLUSTER_PROXY_URL: 'https://k8s-proxy.example.com',
        PROMETHEUS_SERVICE: 'monitoring/prometheus-k8s:9090',
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'alert-triage',
      });
      expect('QUEUE_URL' in env).toBe(name === 'api');
      // The cluster budget: 2 concurrent workers x 20/s stays under the documented ceiling of 50/s.
      if (name === 'worker') expect(env).toMatchObject({ CLUSTER_QPS: '20', CLUSTER_BURST: '40' });
      expect('PROMETHEUS_URL' in env).toBe(false);
    }
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 3);
  });

  it('bundles: ESM with the createRequire banner and a source map, staged in the assembly', () => {
    const assemblyDir = app.synth().directory;
    for (const name of ['api', 'worker'] as const) {
      const { S3Key } = (fn(name)[1].Properties as { Code: { S3Key: string } }).Code;
      const assetDir = join(assemblyDir, `asset.${S3Key.replace(/\.zip$/, '')}`);
      expect(readFileSync(join(assetDir, 'index.mjs'), 'utf8').startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    }
  });

  it('HTTP API: $default route to the api Lambda, throttled default stage with JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [fn('api')[0], 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'NONE',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [id(stack.api.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
  });

  it('alarms: DLQ visible > 0, worker errors > 0, oldest message > 300 s, refused or unqueued webhooks > 0, all notifying a TLS-only topic', () => {
    const topic = { Ref: id(stack.alarms.topic) };
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    // Refused and unqueued deliveries are counted from the api's JSON log lines, by their exact message.
    for (const [name, message] of [
      ['WebhookRefused', WEBHOOK_REFUSED],
      ['WebhookUnqueued', WEBHOOK_UNQUEUED],
    ] as const) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: id(stack.api.logGroup) },
        FilterPattern: `{ $.message = "${message}" }`,
        MetricTransformations: [{ MetricNamespace: 'AlertTriage', MetricName: name, MetricValue: '1' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: name,
        Namespace: 'AlertTriage',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topic],
      });
    }
    const alarm = (MetricName: string, Namespace: string, Threshold: number, dimension: Json) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName,
        Namespace,
        Threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [Match.objectLike({ Value: dimension })],
        AlarmActions: [topic],
        OKActions: [topic],
      });
    const queueName = (queue: IConstruct) => ({ 'Fn::GetAtt': [id(queue), 'QueueName'] });
    alarm('ApproximateNumberOfMessagesVisible', 'AWS/SQS', 0, queueName(stack.worker.deadLetterQueue));
    alarm('Errors', 'AWS/Lambda', 0, { Ref: id(stack.worker.fn) });
    alarm('ApproximateAgeOfOldestMessage', 'AWS/SQS', 300, queueName(stack.worker.queue));
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('IAM: grants scoped to this table, queue, secret and log group; no "*" resources, no managed policies', () => {
    const table = { 'Fn::GetAtt': [id(stack.table.table), 'Arn'] };
    const queue = { 'Fn::GetAtt': [id(stack.worker.queue), 'Arn'] };
    const api = policyOf('api');
    const worker = policyOf('worker');
    for (const statements of [api, worker]) {
      expect(statementFor(statements, 'dynamodb:Query').Resource).toEqual([
        table,
        { 'Fn::Join': ['', [table, '/index/*']] },
      ]);
      expect(statementFor(statements, 'logs:PutLogEvents').Resource).toMatchObject({
        'Fn::GetAtt': [expect.any(String), 'Arn'],
      });
      for (const s of statements) expect(JSON.stringify(s.Resource)).not.toMatch(/^"\*"$|"\*"/);
    }
    expect(statementFor(api, 'sqs:SendMessage').Resource).toEqual(queue);
    expect(statementFor(worker, 'sqs:ReceiveMessage').Resource).toEqual(queue);
    expect(statementFor(worker, 'sqs:DeleteMessage').Resource).toEqual(queue);
    expect(api.some((s) => ([] as unknown[]).concat(s.Action).includes('sqs:ReceiveMessage'))).toBe(false);
    for (const [, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
      expect((role.Properties as Json).ManagedPolicyArns).toBeUndefined();
    }
  });

  it('outputs: webhook and incidents URLs on the default stage, secret ARN, DLQ URL', () => {
    const url = (path: string) => ({ Value: { 'Fn::Join': ['', Match.arrayWith([`/${path}`])] } });
    template.hasOutput('WebhookUrl', url('alertmanager'));
    template.hasOutput('IncidentsUrl', url('incidents'));
    template.hasOutput('ApiSecretArn', { Value: { Ref: id(stack.secrets.apiSecret) } });
    template.hasOutput('WorkerSecretArn', { Value: { Ref: id(stack.secrets.workerSecret) } });
    template.hasOutput('DeadLetterQueueUrl', {
      Value: { Ref: id(stack.worker.deadLetterQueue) },
    });
  });

  it('cdk-nag AwsSolutions: no unacknowledged errors or warnings', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = (severity: string) =>
      report.violations
        .filter((v) => v.severity === severity)
        .map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings('error')).toEqual([]);
    expect(findings('warning')).toEqual([]);
  });
});

describe('cdk-nag gate', () => {
  it('an unacknowledged AwsSolutions finding fails synthesis', () => {
    const app = newApp({ ...DEPLOY_CONTEXT, ...NO_BUNDLING });
    const stack = configureApp(app);
    new Queue(stack, 'PlainQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
