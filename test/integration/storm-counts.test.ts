// A storm's bookkeeping is constant work per member: check-ins and resolves use counters, and the members are read
// in full only once (to verify the count when it completes). Items read are counted on the real DynamoDB wire.
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { DynamoStormStore } from '../../src/adapters/dynamo/storm-store.js';
import type { StormMember } from '../../src/domain/storm.js';
import {
  type EmbeddedDynamo,
  localDynamoClient,
  startEmbeddedDynamo,
} from '../../src/local/embedded-dynamo.js';

let dynamo: EmbeddedDynamo;
let storms: DynamoStormStore;
/** Items the store read: a GetItem reads one, a Query what it scanned. */
let itemsRead = 0;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, 'storm-counts');
  const client = localDynamoClient(dynamo.endpoint);
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number; Item?: unknown };
      itemsRead += output.ScannedCount ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  storms = new DynamoStormStore(client, 'storm-counts');
});
afterAll(async () => dynamo.close());

/** What a worker killed after the counter's ADD and before marking the member leaves behind. */
async function forgetMarker(stormId: string, incidentId: string, marker: string): Promise<void> {
  await dynamo.client.send(
    new UpdateItemCommand({
      TableName: 'storm-counts',
      Key: { pk: { S: `STORM#${stormId}` }, sk: { S: `M#${incidentId}` } },
      UpdateExpression: `REMOVE ${marker}`,
    }),
  );
}

const member = (i: number): StormMember => ({
  incidentId: `inc-${i}`,
  alertname: 'KubePodCrashLooping',
  signatureId: null,
  title: null,
  confidence: null,
  alreadyNotified: false,
});

const N = 60;

describe('storm counting', () => {
  it('N check-ins and N resolves read O(N) items, not O(N²), and still count exactly', async () => {
    itemsRead = 0;
    const counts: number[] = [];
    for (let i = 0; i < N; i += 1) counts.push(await storms.checkIn('big', member(i), N));
    expect(counts.at(-1)).toBe(N);
    expect(counts.slice(0, -1).every((c) => c < N)).toBe(true);
    // A redelivered member is not counted twice.
    expect(await storms.checkIn('big', member(7), N)).toBe(N);
    expect(itemsRead).toBeLessThanOrEqual(4 * N);

    expect(await storms.claimReport('big', 'r', new Date(), 60_000)).toBe(1);
    await storms.markReported('big', { channel: 'C1', ts: '1.1' }, 0);
    itemsRead = 0;
    const resolves: { resolved: number; total: number }[] = [];
    for (let i = 0; i < N; i += 1)
      resolves.push(await storms.resolveMember('big', `inc-${i}`, '2026-11-23T10:00:00Z'));
    expect(resolves.at(-1)).toEqual({ resolved: N, total: N });
    expect(resolves.slice(0, -1).every((r) => r.resolved < r.total)).toBe(true);
    expect(await storms.resolveMember('big', 'inc-3', '2026-11-23T10:00:00Z')).toEqual({
      resolved: N,
      total: N,
    });
    expect(itemsRead).toBeLessThanOrEqual(4 * N);

    // Alertmanager re-sends the group (firing, then resolved) after the storm was reported and told: still O(N).
    await storms.markResolvedReported('big', new Date());
    itemsRead = 0;
    for (let i = 0; i < N; i += 1) expect(await storms.checkIn('big', member(i), N)).toBe(N);
    for (let i = 0; i < N; i += 1)
      expect(await storms.resolveMember('big', `inc-${i}`, '2026-11-23T10:00:00Z')).toEqual({
        resolved: N,
        total: N,
      });
    expect(itemsRead).toBeLessThanOrEqual(4 * N);
  });

  it('a worker dying between counting a member and marking it counts it twice, and the storm still waits for all', async () => {
    const size = 5;
    for (let i = 0; i < 4; i += 1) await storms.checkIn('crashy', member(i), size);
    await forgetMarker('crashy', 'inc-3', 'counted');
    // The redelivery counts member 3 again: the counter says 5, the members say 4.
    expect(await storms.checkIn('crashy', member(3), size)).toBe(4);
    expect(await storms.checkIn('crashy', member(4), size)).toBe(5);

    await storms.claimReport('crashy', 'r', new Date(), 60_000);
    await storms.markReported('crashy', { channel: 'C1', ts: '1.2' }, 0);
    for (let i = 0; i < 4; i += 1) await storms.resolveMember('crashy', `inc-${i}`, '2026-11-23T10:00:00Z');
    await forgetMarker('crashy', 'inc-3', 'resolveCounted');
    expect(await storms.resolveMember('crashy', 'inc-3', '2026-11-23T10:00:00Z')).toEqual({
      resolved: 4,
      total: 5,
    });
    expect(await storms.resolveMember('crashy', 'inc-4', '2026-11-23T10:00:00Z')).toEqual({
      resolved: 5,
      total: 5,
    });
  });
});
