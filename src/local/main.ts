// `npm start`: the whole service on one machine, on embedded defaults (store, queue, demo cluster, console Slack).
import { serve } from '@hono/node-server';
import { ensureTable } from '../adapters/dynamo/ensure-table.js';
import { InProcessQueue } from '../adapters/queue/in-process-queue.js';
import { ConfigError, configSecrets, loadConfig } from '../config.js';
import { BUILT_IN_SIGNATURES } from '../domain/catalog/index.js';
import { createApp } from '../http/app.js';
import { createLogger } from '../log.js';
import { runMessage } from '../run-message.js';
import { buildInteractionRoute } from '../stores.js';
import { buildWorkerDeps } from '../wiring.js';
import { startKubernetesStandIn } from './cluster/kubernetes-api.js';
import { loadScenarios, mergeClusters } from './cluster/scenarios.js';
import { localDynamoClient, startEmbeddedDynamo } from './embedded-dynamo.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, 'local');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`alert-triage: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger({
    level: config.logLevel,
    secrets: configSecrets(config),
  });
  for (const substitution of config.substitutions) log.warn(`local default: ${substitution}`);

  const embedded = config.dynamodbEndpoint ? undefined : await startEmbeddedDynamo();
  const dynamo = embedded?.client ?? localDynamoClient(config.dynamodbEndpoint ?? '');
  await ensureTable(dynamo, config.tableName);

  const demo =
    config.cluster.mode === 'demo'
      ? await startKubernetesStandIn({ cluster: mergeClusters(loadScenarios().map((s) => s.cluster)) })
      : undefined;
  if (demo) log.info('demo cluster serving the scenarios in events/scenarios', { url: demo.url });

  const { store, playbooks, ...deps } = buildWorkerDeps(config, dynamo, log, { demoUrl: demo?.url });
  const queue = new InProcessQueue((message) => runMessage(message, deps), log, {
    maxPending: config.localQueueMax,
  });
  const app = createApp({
    webhookToken: config.webhookToken,
    apiToken: config.apiToken,
    playbookToken: config.playbookToken,
    // Without both tokens, web pages must not reach the service (cross-site POSTs, DNS rebinding).
    ...(config.webhookToken && config.apiToken
      ? {}
      : { localBinding: { host: config.host, port: config.port } }),
    queue,
    store,
    playbooks,
    builtIns: BUILT_IN_SIGNATURES,
    ignoredAlerts: config.ignoredAlerts,
    log,
    slack: {
      signingSecret: config.slackSigningSecret,
      queue,
      slackApiUrl: config.slackApiUrl,
      access: config.slackAccess,
    },
    interactions: buildInteractionRoute(config, dynamo, queue),
  });

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    log.info(`alert-triage listening on http://${config.host}:${info.port}`, {
      webhook: `POST http://${config.host}:${info.port}/alertmanager`,
      incidents: `GET http://${config.host}:${info.port}/incidents`,
      slashCommands: `POST http://${config.host}:${info.port}/slack/commands`,
      interactions: `POST http://${config.host}:${info.port}/slack/interactions`,
      tryIt: 'npm run demo',
    });
  });

  const shutdown = async () => {
    server.close();
    queue.close();
    await demo?.close();
    await embedded?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `alert-triage failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
