// Optimistic writes that lose to a concurrent writer back off with jitter before trying again; the random source and
// the sleep are injected, so the delays are asserted exactly and nothing waits for real.
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { hmacCursors } from '../../src/adapters/dynamo/incident-list.js';
import { DynamoIncidentStore } from '../../src/adapters/dynamo/incident-store.js';
import { resolveTarget } from '../../src/domain/alert.js';
import { newIncident } from '../../src/domain/incident.js';
import {
  type EmbeddedDynamo,
  localDynamoClient,
  startEmbeddedDynamo,
} from '../../src/local/embedded-dynamo.js';
import { alert, context } from '../support/contexts.js';

const TABLE = 'conflicts';
const now = '2026-11-23T08:30:00.000Z';
let dynamo: EmbeddedDynamo;
/** How many of the next versioned writes lose to another writer (who bumps the version just before). */
let conflicts = 0;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, TABLE);
});
afterAll(async () => dynamo.close());

function conflictingClient() {
  const client = localDynamoClient(dynamo.endpoint);
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { ConditionExpression?: string; Key?: Record<string, unknown> };
      if (input.ConditionExpression === 'version = :v' && conflicts > 0) {
        conflicts -= 1;
        // Another worker writes the incident between this one's read and its write.
        await dynamo.client.send(
          new UpdateItemCommand({
            TableName: TABLE,
            Key: input.Key as never,
            UpdateExpression: 'ADD version :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        );
      }
      return next(args);
    },
    { step: 'initialize', name: 'concurrentWriter' },
  );
  return client;
}

async function setUp(fingerprint: string) {
  const sleeps: number[] = [];
  const store = new DynamoIncidentStore(
    conflictingClient(),
    TABLE,
    hmacCursors('cursor-secret-0123456789abcdef'),
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    },
  );
  const a = { ...alert({ pod: `pod-${fingerprint}` }), fingerprint };
  const envelope = {
    alert: a,
    groupKey: '{}:{}',
    receiver: 'r',
    externalURL: '',
    truncatedAlerts: 0,
    groupSize: 1,
    receivedAt: now,
  };
  const incident = newIncident(envelope, context({ target: resolveTarget(a.labels) }), [], now);
  await store.create(incident);
  return { store, incident, sleeps };
}

describe('conflicting writes', () => {
  it('back off exponentially with jitter, then succeed', async () => {
    const { store, incident, sleeps } = await setUp('c1');
    conflicts = 3;
    await store.recordDeliveryFailure(incident.id, 'slack: 503', now);
    // Full jitter around a 20 ms base doubling per try: random() = 0.5 gives half of 20, 40, 80.
    expect(sleeps).toEqual([10, 20, 40]);
    expect((await store.get(incident.id))?.delivery).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('give up after five tries with a contention error, having slept between tries only', async () => {
    const { store, incident, sleeps } = await setUp('c2');
    conflicts = 5;
    await expect(store.recordDeliveryFailure(incident.id, 'slack: 503', now)).rejects.toThrow(
      /kept changing/,
    );
    expect(sleeps).toEqual([10, 20, 40, 80]);
  });
});
