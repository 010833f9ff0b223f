// Builds the triage adapters (cluster, Slack, playbook) from configuration; the worker and the local server share it.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { directSilenceApi, serviceProxySilenceApi } from './adapters/alertmanager/silence-api.js';
import { DynamoSlackPacer } from './adapters/dynamo/slack-pacer.js';
import { KubernetesClusterInspector, kubeConfigFor } from './adapters/kubernetes/cluster-inspector.js';
import { directPrometheus, serviceProxyPrometheus } from './adapters/kubernetes/prometheus.js';
import { ConsoleNotifier } from './adapters/slack/console-notifier.js';
import { SlackNotifier } from './adapters/slack/slack-notifier.js';
import { responsePoster } from './commands/response-url.js';
import type { Config } from './config.js';
import { BUILT_IN_SIGNATURES } from './domain/catalog/index.js';
import { activeSignatures, effectivePlaybook } from './domain/playbook.js';
import type { Signature } from './domain/signature.js';
import type { Logger } from './log.js';
import {
  type ClusterInspector,
  type IncidentStore,
  NO_METRICS,
  type Notifier,
  type PlaybookStore,
  type ResponsePoster,
  type SilenceApi,
  type TriageMetrics,
} from './ports.js';
import type { WorkerDeps } from './run-message.js';
import { buildPlaybookStore, buildStore, buildStormStore, buildThreadIndex } from './stores.js';
import { cachingInspector } from './triage/caching-inspector.js';
import { budgeted, INSPECTOR_COSTS, TokenBucket } from './triage/cluster-budget.js';

type ClusterTarget =
  | { mode: 'proxy'; url: string; token: string | undefined }
  | { mode: 'kubeconfig'; path: string };

/** The cluster to read; in demo mode the caller passes the local stand-in's URL. */
export function buildInspector(
  config: Config,
  demoUrl?: string,
  time: { clock?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): ClusterInspector {
  const target: ClusterTarget =
    config.cluster.mode === 'demo'
      ? { mode: 'proxy', url: demoUrl ?? 'http://127.0.0.1:1', token: undefined }
      : config.cluster;
  const kc = kubeConfigFor(target);
  const timeout = config.clusterCallTimeoutMs;
  const prometheus =
    config.prometheus.mode === 'url'
      ? directPrometheus(config.prometheus.url, timeout)
      : config.prometheus.mode === 'service'
        ? serviceProxyPrometheus(kc, config.prometheus.namespace, config.prometheus.service, timeout)
        : undefined;
  // The budget sits under the cache: a cached read costs nothing; every request that goes out is paid for.
  const bucket = new TokenBucket(config.clusterQps, config.clusterBurst, time.clock, time.sleep);
  return cachingInspector(
    budgeted(new KubernetesClusterInspector(kc, prometheus, timeout), bucket, INSPECTOR_COSTS),
  );
}

/** Alertmanager's silences, directly or through the cluster's service proxy; undefined when not configured. */
export function buildSilenceApi(config: Config): SilenceApi | undefined {
  const timeout = config.clusterCallTimeoutMs;
  if (config.alertmanager.mode === 'url') return directSilenceApi(config.alertmanager.url, timeout);
  if (config.alertmanager.mode === 'off' || config.cluster.mode === 'demo') return undefined;
  return serviceProxySilenceApi(
    kubeConfigFor(config.cluster),
    config.alertmanager.namespace,
    config.alertmanager.service,
    timeout,
  );
}

/** With `dynamo`, posts are paced across every worker sharing the table (Slack's limit is per app and channel). */
export function buildNotifier(config: Config, log?: Logger, dynamo?: DynamoDBClient): Notifier {
  if (config.slack.mode === 'console') return new ConsoleNotifier();
  return new SlackNotifier({
    token: config.slack.token,
    channel: config.slack.channel,
    apiUrl: config.slack.apiUrl,
    postIntervalMs: config.slackPostIntervalMs,
    timeoutMs: config.slackTimeoutMs,
    ...(dynamo ? { pacer: new DynamoSlackPacer(dynamo, config.tableName, config.slackPostIntervalMs) } : {}),
    ...(log ? { log } : {}),
  });
}

/** Slash-command answers go to response_url: Slack's hooks host, or the configured Slack API's origin. */
export function buildResponsePoster(config: Config): ResponsePoster {
  return responsePoster({ slackApiUrl: config.slackApiUrl, timeoutMs: 5000 });
}

/** The signatures in force for the next alert: read from the store every time, so a change needs no redeploy. */
export function playbookSignatures(store: PlaybookStore): () => Promise<readonly Signature[]> {
  return async () => activeSignatures(effectivePlaybook(BUILT_IN_SIGNATURES, await store.entries()));
}

/**
 * Everything the worker needs (alerts and slash commands), built once from configuration: the Lambda worker, local
 * mode and the test harness all run the same graph.
 */
export function buildWorkerDeps(
  config: Config,
  dynamo: DynamoDBClient,
  log: Logger,
  options: {
    demoUrl?: string | undefined;
    signatures?: () => Promise<readonly Signature[]>;
    metrics?: TriageMetrics;
  } = {},
): WorkerDeps & { store: IncidentStore; playbooks: PlaybookStore } {
  const store = buildStore(config, dynamo);
  const playbooks = buildPlaybookStore(config, dynamo);
  const inspector = buildInspector(config, options.demoUrl);
  const signatures = options.signatures ?? playbookSignatures(playbooks);
  // One notifier, paced across every worker sharing the table, for triage and button actions alike.
  const notifier = buildNotifier(config, log, dynamo);
  const storms = buildStormStore(config, dynamo);
  const respond = buildResponsePoster(config);
  return {
    store,
    playbooks,
    triage: {
      inspector,
      store,
      notifier,
      threads: buildThreadIndex(config, dynamo),
      storms,
      nodeLogQueries: config.nodeLogQueries,
      metrics: options.metrics ?? NO_METRICS,
      signatures,
      log,
    },
    commands: {
      inspector,
      signatures,
      store,
      playbooks,
      builtIns: BUILT_IN_SIGNATURES,
      respond,
      access: config.slackAccess,
      log,
    },
    interactions: {
      store,
      notifier,
      storms,
      silences: buildSilenceApi(config),
      respond,
      inspector,
      signatures,
      nodeLogQueries: config.nodeLogQueries,
      log,
    },
  };
}
