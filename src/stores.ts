// Builds the DynamoDB-backed stores from configuration: all the api function needs, kept apart from the cluster client.
import { createHash, randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CachedPlaybookStore } from './adapters/dynamo/cached-playbook-store.js';
import { hmacCursors } from './adapters/dynamo/incident-list.js';
import { DynamoIncidentStore } from './adapters/dynamo/incident-store.js';
import { DynamoPlaybookStore } from './adapters/dynamo/playbook-store.js';
import { DynamoReplayGuard } from './adapters/dynamo/replay-guard.js';
import { DynamoStormStore } from './adapters/dynamo/storm-store.js';
import { DynamoThreadIndex } from './adapters/dynamo/thread-index.js';
import { responsePoster } from './commands/response-url.js';
import type { Config } from './config.js';
import type { SlackInteractionDeps } from './http/routes/slack-interactions.js';
import type { IncidentStore, InteractionQueue, PlaybookStore, StormStore, ThreadIndex } from './ports.js';

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

export function buildPlaybookStore(config: Config, client: DynamoDBClient): PlaybookStore {
  return new CachedPlaybookStore(new DynamoPlaybookStore(client, config.tableName));
}

export function buildThreadIndex(config: Config, client: DynamoDBClient): ThreadIndex {
  return new DynamoThreadIndex(client, config.tableName);
}

export function buildStormStore(config: Config, client: DynamoDBClient): StormStore {
  return new DynamoStormStore(client, config.tableName);
}

/** What POST /slack/interactions needs besides the incident store: the api function and local mode share it. */
export function buildInteractionRoute(
  config: Config,
  client: DynamoDBClient,
  queue: InteractionQueue,
): Omit<SlackInteractionDeps, 'store'> {
  return {
    signingSecret: config.slackSigningSecret,
    queue,
    replay: new DynamoReplayGuard(client, config.tableName),
    access: config.slackAccess,
    // Short: a refusal is said while Slack waits for the 200 (3 s).
    respond: responsePoster({ slackApiUrl: config.slackApiUrl, timeoutMs: 1500 }),
    slackApiUrl: config.slackApiUrl,
  };
}
