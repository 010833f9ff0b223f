// The one place that reads the environment: validates it against the README's configuration contract; fails closed in Lambda.
import * as z from 'zod';
import { parseIds, parseNamespaceGrants, type SlackAccess } from './commands/access.js';
import { DEFAULT_IGNORED_ALERTS } from './domain/alert.js';

export type Runtime = 'lambda' | 'local';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  WEBHOOK_TOKEN: optionalText,
  API_TOKEN: optionalText,
  PLAYBOOK_TOKEN: optionalText,
  CLUSTER_PROXY_URL: optionalText.pipe(z.url().optional()),
  CLUSTER_PROXY_TOKEN: optionalText,
  KUBECONFIG: optionalText,
  PROMETHEUS_SERVICE: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? 'monitoring/prometheus-k8s:9090' : v.trim())),
  PROMETHEUS_URL: optionalText.pipe(z.url().optional()),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_CHANNEL: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url().optional()),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_TEAM_IDS: optionalText,
  SLACK_USER_IDS: optionalText,
  SLACK_NAMESPACES: optionalText,
  DYNAMODB_ENDPOINT: optionalText.pipe(z.url().optional()),
  TABLE_NAME: z.string().min(3).max(255).default('alert-triage'),
  QUEUE_URL: optionalText,
  CLUSTER_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
  SLACK_POST_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  CLUSTER_QPS: z.coerce.number().min(0.1).max(1000).default(20),
  CLUSTER_BURST: z.coerce.number().int().min(1).max(10_000).default(40),
  LOCAL_QUEUE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  SLACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  NODE_LOG_QUERY: optionalText,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  IGNORED_ALERTS: z.string().max(4096).optional(),
  ALERTMANAGER_URL: optionalText.pipe(z.url().optional()),
  ALERTMANAGER_SERVICE: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? 'monitoring/alertmanager-main:9093' : v.trim())),
});

export interface PrometheusService {
  readonly namespace: string;
  readonly service: string;
}

export interface Config {
  readonly runtime: Runtime;
  readonly port: number;
  readonly host: string;
  readonly webhookToken: string | undefined;
  readonly apiToken: string | undefined;
  /**
   * Bearer token for playbook writes (PUT, DELETE); API_TOKEN then only reads. Unset: API_TOKEN writes as well, as
   * before the split, with a warning at start-up.
   */
  readonly playbookToken: string | undefined;
  readonly cluster:
    | { readonly mode: 'proxy'; readonly url: string; readonly token: string | undefined }
    | { readonly mode: 'kubeconfig'; readonly path: string }
    | { readonly mode: 'demo' };
  readonly prometheus:
    | { readonly mode: 'service'; readonly namespace: string; readonly service: string }
    | { readonly mode: 'url'; readonly url: string }
    | { readonly mode: 'off' };
  readonly slack:
    | {
        readonly mode: 'api';
        readonly token: string;
        readonly channel: string;
        readonly apiUrl: string | undefined;
      }
    | { readonly mode: 'console' };
  readonly slackSigningSecret: string | undefined;
  /** Who may run slash commands and which namespaces each channel or user may inspect. */
  readonly slackAccess: SlackAccess;
  /** SLACK_API_URL even without a bot token: slash-command answers may go to its origin (a local stand-in). */
  readonly slackApiUrl: string | undefined;
  readonly dynamodbEndpoint: string | undefined;
  readonly tableName: string;
  readonly queueUrl: string | undefined;
  readonly clusterCallTimeoutMs: number;
  /** Minimum gap between two posts to one channel from this process (Slack allows about one a second). */
  readonly slackPostIntervalMs: number;
  /** Timeout of one Slack Web API call; a post whose answer is lost this way may still have landed. */
  readonly slackTimeoutMs: number;
  /** Requests per second to the cluster (API server and Prometheus through it) from one worker process. */
  readonly clusterQps: number;
  /** Requests a worker may send at once before the rate applies. */
  readonly clusterBurst: number;
  /** Local mode: alerts and commands waiting in the in-process queue before the webhook answers 503. */
  readonly localQueueMax: number;
  /** Node log query targets (kubelet `/logs/?query=`): off unless configured; needs `get nodes/proxy`. */
  readonly nodeLogQueries: readonly string[];
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Alert names never triaged nor posted (with every `severity="none"` alert). */
  readonly ignoredAlerts: readonly string[];
  /** Where silences are created from Slack; off without a cluster to proxy through or a URL. */
  readonly alertmanager:
    | { readonly mode: 'service'; readonly namespace: string; readonly service: string }
    | { readonly mode: 'url'; readonly url: string }
    | { readonly mode: 'off' };
  /** Who may act from Slack messages (team and user ids); empty lists do not narrow. */
  /** Defaults substituted in local mode, each a sentence for the start-up log. */
  readonly substitutions: readonly string[];
}

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** `namespace/name:port` (port optional, may be a name) as the service-proxy path segment wants it. */
export function parsePrometheusService(value: string): PrometheusService | undefined {
  const match =
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/((?:https?:)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9-]+)?)$/.exec(
      value,
    );
  if (!match?.[1] || !match[3]) return undefined;
  return { namespace: match[1], service: match[3] };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Shorter bearer tokens are refused in Lambda: a guessable token on an internet-facing URL is no token. */
export const MIN_TOKEN_LENGTH = 32;

/** Each bearer token names one role: refused if short (Lambda) or shared by two roles (everywhere). */
function tokenProblems(
  tokens: readonly (readonly [string, string | undefined])[],
  runtime: Runtime,
): string[] {
  const problems: string[] = [];
  for (const [name, value] of tokens)
    if (runtime === 'lambda' && value !== undefined && value.length < MIN_TOKEN_LENGTH)
      problems.push(`${name} must be at least ${MIN_TOKEN_LENGTH} characters (got ${value.length})`);
  for (const [i, [name, value]] of tokens.entries())
    for (const [other, second] of tokens.slice(i + 1))
      if (value !== undefined && value === second)
        problems.push(`${name} and ${other} must differ: one token would open both roles`);
  return problems;
}

/** Every credential in the configuration: the logger masks each wherever it appears. */
export function configSecrets(config: Config): (string | undefined)[] {
  return [
    config.webhookToken,
    config.apiToken,
    config.playbookToken,
    config.slackSigningSecret,
    config.slack.mode === 'api' ? config.slack.token : undefined,
    config.cluster.mode === 'proxy' ? config.cluster.token : undefined,
  ].filter((secret) => secret !== undefined);
}

/**
 * Which Lambda function reads the configuration: each gets only its own credentials (infra/constructs/secrets.ts),
 * so the api needs no cluster and the worker no bearer tokens. Unset: both (local mode, tests).
 */
export type FunctionRole = 'api' | 'worker';

export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  runtime: Runtime,
  role?: FunctionRole,
): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const substitutions: string[] = [];

  if (runtime === 'lambda') {
    if (!e.WEBHOOK_TOKEN && role !== 'worker') problems.push('WEBHOOK_TOKEN is required in Lambda');
    if (!e.API_TOKEN && role !== 'worker') problems.push('API_TOKEN is required in Lambda');
    if (!e.CLUSTER_PROXY_URL && !e.KUBECONFIG && role !== 'api')
      problems.push('CLUSTER_PROXY_URL (or KUBECONFIG) is required in Lambda');
  } else {
    const loopback = LOOPBACK.has(e.HOST);
    for (const [name, value] of [
      ['WEBHOOK_TOKEN', e.WEBHOOK_TOKEN],
      ['API_TOKEN', e.API_TOKEN],
    ] as const) {
      if (value) continue;
      if (!loopback) problems.push(`${name} is required when HOST (${e.HOST}) is not a loopback address`);
      else substitutions.push(`${name} is unset, so authentication is off for its routes (loopback only)`);
    }
  }

  problems.push(
    ...tokenProblems(
      [
        ['WEBHOOK_TOKEN', e.WEBHOOK_TOKEN],
        ['API_TOKEN', e.API_TOKEN],
        ['PLAYBOOK_TOKEN', e.PLAYBOOK_TOKEN],
      ],
      runtime,
    ),
  );
  if (e.API_TOKEN && !e.PLAYBOOK_TOKEN)
    substitutions.push(
      'PLAYBOOK_TOKEN is unset, so API_TOKEN can rewrite the playbook as well as read history: set PLAYBOOK_TOKEN to split them',
    );

  let slackAccess: SlackAccess = { teams: undefined, users: undefined, namespaces: undefined };
  try {
    slackAccess = {
      teams: parseIds(e.SLACK_TEAM_IDS, 'SLACK_TEAM_IDS'),
      users: parseIds(e.SLACK_USER_IDS, 'SLACK_USER_IDS'),
      namespaces: parseNamespaceGrants(e.SLACK_NAMESPACES),
    };
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (e.SLACK_SIGNING_SECRET && !slackAccess.teams)
    substitutions.push(
      'SLACK_TEAM_IDS is unset, so slash commands and button presses from any workspace the app is installed in are served',
    );
  if (e.SLACK_SIGNING_SECRET && !slackAccess.namespaces)
    substitutions.push(
      'WARNING: SLACK_NAMESPACES is unset, so every member of the workspace can inspect every namespace (pods, events, logs) through /triage',
    );

  if (e.SLACK_BOT_TOKEN && !e.SLACK_CHANNEL) problems.push('SLACK_CHANNEL is required with SLACK_BOT_TOKEN');

  const prometheusService =
    e.PROMETHEUS_SERVICE === '' ? undefined : parsePrometheusService(e.PROMETHEUS_SERVICE);
  if (e.PROMETHEUS_SERVICE !== '' && !prometheusService) {
    problems.push(`PROMETHEUS_SERVICE must look like namespace/name:port, got "${e.PROMETHEUS_SERVICE}"`);
  }
  const alertmanagerService =
    e.ALERTMANAGER_SERVICE === '' ? undefined : parsePrometheusService(e.ALERTMANAGER_SERVICE);
  if (e.ALERTMANAGER_SERVICE !== '' && !alertmanagerService) {
    problems.push(`ALERTMANAGER_SERVICE must look like namespace/name:port, got "${e.ALERTMANAGER_SERVICE}"`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const cluster: Config['cluster'] = e.CLUSTER_PROXY_URL
    ? { mode: 'proxy', url: e.CLUSTER_PROXY_URL, token: e.CLUSTER_PROXY_TOKEN }
    : e.KUBECONFIG
      ? { mode: 'kubeconfig', path: e.KUBECONFIG }
      : { mode: 'demo' };
  if (cluster.mode === 'demo' && runtime === 'local')
    substitutions.push('no CLUSTER_PROXY_URL or KUBECONFIG, so serving the built-in demo cluster');

  const prometheus: Config['prometheus'] = e.PROMETHEUS_URL
    ? { mode: 'url', url: e.PROMETHEUS_URL }
    : prometheusService
      ? { mode: 'service', ...prometheusService }
      : { mode: 'off' };

  const alertmanager: Config['alertmanager'] = e.ALERTMANAGER_URL
    ? { mode: 'url', url: e.ALERTMANAGER_URL }
    : alertmanagerService && cluster.mode !== 'demo'
      ? { mode: 'service', ...alertmanagerService }
      : { mode: 'off' };

  const slack: Config['slack'] =
    e.SLACK_BOT_TOKEN && e.SLACK_CHANNEL
      ? { mode: 'api', token: e.SLACK_BOT_TOKEN, channel: e.SLACK_CHANNEL, apiUrl: e.SLACK_API_URL }
      : { mode: 'console' };
  if (slack.mode === 'console')
    substitutions.push('no SLACK_BOT_TOKEN, so Slack messages are printed to the console');
  if (!e.SLACK_SIGNING_SECRET)
    substitutions.push('no SLACK_SIGNING_SECRET, so /slack/commands refuses every request');
  if (runtime === 'local' && !e.DYNAMODB_ENDPOINT) {
    substitutions.push(
      'no DYNAMODB_ENDPOINT, so using the embedded in-process DynamoDB-compatible store (data is not kept)',
    );
  }

  return {
    runtime,
    port: e.PORT,
    host: e.HOST,
    webhookToken: e.WEBHOOK_TOKEN,
    apiToken: e.API_TOKEN,
    playbookToken: e.PLAYBOOK_TOKEN,
    cluster,
    prometheus,
    slack,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackAccess,
    slackApiUrl: e.SLACK_API_URL,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    tableName: e.TABLE_NAME,
    queueUrl: e.QUEUE_URL,
    clusterCallTimeoutMs: e.CLUSTER_CALL_TIMEOUT_MS,
    slackPostIntervalMs: e.SLACK_POST_INTERVAL_MS,
    slackTimeoutMs: e.SLACK_TIMEOUT_MS,
    clusterQps: e.CLUSTER_QPS,
    clusterBurst: e.CLUSTER_BURST,
    localQueueMax: e.LOCAL_QUEUE_MAX,
    nodeLogQueries: (e.NODE_LOG_QUERY ?? '')
      .split(',')
      .map((q) => q.trim())
      .filter((q) => /^[A-Za-z0-9@._/-]{1,200}$/.test(q)),
    logLevel: e.LOG_LEVEL,
    ignoredAlerts:
      e.IGNORED_ALERTS === undefined
        ? DEFAULT_IGNORED_ALERTS
        : e.IGNORED_ALERTS.split(',')
            .map((name) => name.trim())
            .filter((name) => name.length > 0),
    alertmanager,
    substitutions,
  };
}
