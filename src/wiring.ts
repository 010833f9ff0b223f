// Builds the real adapters from configuration; shared by the local server and both Lambda handlers.
import { createHash, randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { hmacCursors } from './adapters/dynamo/incident-list.js';
import { DynamoIncidentStore } from './adapters/dynamo/incident-store.js';
import { KubernetesClusterInspector, kubeConfigFor } from './adapters/kubernetes/cluster-inspector.js';
import { directPrometheus, serviceProxyPrometheus } from './adapters/kubernetes/prometheus.js';
import { ConsoleNotifier } from './adapters/slack/console-notifier.js';
import { SlackNotifier } from './adapters/slack/slack-notifier.js';
import type { Config } from './config.js';
import { BUILT_IN_SIGNATURES } from './domain/catalog/index.js';
import type { Signature } from './domain/signature.js';
import type { ClusterInspector, IncidentStore, Notifier } from './ports.js';

type ClusterTarget =
  | { mode: 'proxy'; url: string; token: string | undefined }
  | { mode: 'kubeconfig'; path: string };

/** The cluster to read; in demo mode the caller passes the local stand-in's URL. */
export function buildInspector(config: Config, demoUrl?: string): ClusterInspector {
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
  return new KubernetesClusterInspector(kc, prometheus, timeout);
}

export function buildNotifier(config: Config): Notifier {
  if (config.slack.mode === 'console') return new ConsoleNotifier();
  return new SlackNotifier({
    token: config.slack.token,
    channel: config.slack.channel,
    apiUrl: config.slack.apiUrl,
  });
}

/**
 * Cursor signatures must verify on every instance, so the key derives from the API token; without one
 * (local mode) a per-process random key is enough.
 */
export function cursorSecret(config: Config): string {
  if (config.apiToken) return createHash('sha256').update(`incident-cursor:${config.apiToken}`).digest('hex');
  return randomBytes(32).toString('hex');
}

export function buildStore(config: Config, client: DynamoDBClient): IncidentStore {
  return new DynamoIncidentStore(client, config.tableName, hmacCursors(cursorSecret(config)));
}

export function builtInSignatures(): () => Promise<readonly Signature[]> {
  return async () => BUILT_IN_SIGNATURES;
}
