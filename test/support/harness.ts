// Integration harness: the real app and triage wired to an embedded DynamoDB, a Kubernetes API stand-in and a Slack stand-in.
import { randomUUID } from 'node:crypto';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { InProcessQueue } from '../../src/adapters/queue/in-process-queue.js';
import { loadConfig } from '../../src/config.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { Signature } from '../../src/domain/signature.js';
import { createApp } from '../../src/http/app.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import type { ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamo.js';
import type { IncidentStore } from '../../src/ports.js';
import { runMessage } from '../../src/run-message.js';
import { buildInteractionRoute } from '../../src/stores.js';
import { buildWorkerDeps } from '../../src/wiring.js';
import { memoryLogger } from './memory-logger.js';
import { type SlackStandIn, startSlackStandIn } from './standins/slack-api.js';

export const WEBHOOK_TOKEN = 'test-webhook-token-0123456789';
export const API_TOKEN = 'test-api-token-0123456789';
export const SLACK_TOKEN = 'xoxb-test-0000000000-EXAMPLEEXAMPLE';
export const CHANNEL = 'C0ALERTS01';
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface Harness {
  readonly app: ReturnType<typeof createApp>;
  readonly queue: InProcessQueue;
  readonly store: IncidentStore;
  readonly k8s: KubernetesStandIn;
  readonly slack: SlackStandIn;
  readonly dynamo: EmbeddedDynamo;
  readonly logs: string[];
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly cluster?: ScenarioCluster;
  readonly env?: Record<string, string>;
  readonly signatures?: () => Promise<readonly Signature[]>;
  readonly queueDelayMs?: number;
  /** Bound of the in-process queue (LOCAL_QUEUE_MAX). */
  readonly queueMax?: number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [dynamo, k8s, slack] = await Promise.all([
    startEmbeddedDynamo(),
    startKubernetesStandIn(options.cluster ? { cluster: options.cluster } : {}),
    startSlackStandIn({ token: SLACK_TOKEN }),
  ]);
  const env: Record<string, string> = {
    WEBHOOK_TOKEN,
    API_TOKEN,
    CLUSTER_PROXY_URL: k8s.url,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_CHANNEL: CHANNEL,
    SLACK_API_URL: slack.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    TABLE_NAME: `incidents-${randomUUID().slice(0, 8)}`,
    // Generous: a loaded CI machine must not turn a slow stand-in answer into "unavailable" evidence.
    CLUSTER_CALL_TIMEOUT_MS: '15000',
    SLACK_POST_INTERVAL_MS: '0',
    // The cluster budget has its own tests (cluster-budget.test.ts); here it would only slow the storms down.
    CLUSTER_QPS: '1000',
    CLUSTER_BURST: '1000',
    ...options.env,
  };
  const config = loadConfig(env, 'local');
  await ensureTable(dynamo.client, config.tableName);
  const { log, lines } = memoryLogger([WEBHOOK_TOKEN, API_TOKEN, SLACK_TOKEN, SIGNING_SECRET]);
  const { store, playbooks, ...deps } = buildWorkerDeps(config, dynamo.client, log, {
    ...(options.signatures ? { signatures: options.signatures } : {}),
  });
  const queue = new InProcessQueue((message) => runMessage(message, deps), log, {
    baseDelayMs: options.queueDelayMs ?? 20,
    ...(options.queueMax ? { maxPending: options.queueMax } : {}),
  });
  const app = createApp({
    webhookToken: WEBHOOK_TOKEN,
    apiToken: API_TOKEN,
    queue,
    store,
    playbooks,
    builtIns: BUILT_IN_SIGNATURES,
    log,
    slack: { signingSecret: config.slackSigningSecret, queue, slackApiUrl: config.slackApiUrl },
    interactions: buildInteractionRoute(config, dynamo.client, queue),
  });
  return {
    app,
    queue,
    store,
    k8s,
    slack,
    dynamo,
    logs: lines,
    env,
    close: async () => {
      queue.close();
      await Promise.all([k8s.close(), slack.close(), dynamo.close()]);
    },
  };
}

export function postWebhook(h: Harness, body: unknown, token = WEBHOOK_TOKEN): Promise<Response> {
  return Promise.resolve(
    h.app.request('/alertmanager', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export function getJson(h: Harness, path: string, token = API_TOKEN): Promise<Response> {
  return Promise.resolve(h.app.request(path, { headers: { authorization: `Bearer ${token}` } }));
}
