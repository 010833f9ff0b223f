// The incident's two items: the incident (compressed data) and its small lease item (claims, attempt counts,
// done-markers, recorded notifications); and incidents stored by the first shape (one item, lease attributes on
// it, data as a JSON string), which a deployed table still holds.
import { DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../../src/adapters/dynamo/ensure-table.js';
import { decodeData } from '../../../src/adapters/dynamo/incident-data.js';
import { toItem } from '../../../src/adapters/dynamo/incident-item.js';
import { hmacCursors } from '../../../src/adapters/dynamo/incident-list.js';
import { DynamoIncidentStore } from '../../../src/adapters/dynamo/incident-store.js';
import { itemBytes } from '../../../src/adapters/dynamo/item-size.js';
import { resolveTarget } from '../../../src/domain/alert.js';
import type { Incident } from '../../../src/domain/incident.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../src/local/embedded-dynamo.js';
import { alert, context } from '../../support/contexts.js';
import { incidentOf } from '../../support/incidents.js';

const TABLE = 'items';
const NOW = '2026-11-23T08:30:00.000Z';
const now = () => new Date(NOW);
let dynamo: EmbeddedDynamo;
let store: DynamoIncidentStore;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, TABLE);
  store = new DynamoIncidentStore(dynamo.client, TABLE, hmacCursors('cursor-secret-0123456789abcdef'));
});
afterAll(async () => dynamo.close());

function incident(fingerprint: string, labels: Record<string, string> = {}): Incident {
  const a = { ...alert(labels), fingerprint };
  return incidentOf(a, context({ target: resolveTarget(a.labels) }), [], NOW, NOW);
}

const item = async (id: string, sk: 'INC' | 'LEASE') =>
  (
    await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `INC#${id}` }, sk: { S: sk } } }),
    )
  ).Item;

const posted = { channel: 'C0ALERTS01', ts: '1795422240.000100' };

describe('an incident is two items', () => {
  it('the incident item holds compressed data and no lease; the lease item stays under 1 KB', async () => {
    const fresh = incident('shape1');
    expect(await store.create(fresh)).toBe('created');
    expect(await store.claimNotification(fresh.id, 'worker-a', now(), 60_000)).toBe(1);
    await store.recordNotification(fresh.id, posted, NOW);
    expect(await store.claimResolveNotice(fresh.id, 'worker-a', now(), 60_000)).toBe(1);

    const inc = await item(fresh.id, 'INC');
    expect(inc?.data?.B).toBeInstanceOf(Uint8Array);
    expect(inc?.data?.S).toBeUndefined();
    expect(decodeData(inc?.data)).toEqual(fresh);
    expect(inc?.data?.B?.length).toBeLessThan(JSON.stringify(fresh).length / 2);
    for (const name of ['claimant', 'notifyAttempts', 'notifiedAt', 'resolveClaimant'])
      expect(inc?.[name], name).toBeUndefined();

    const lease = await item(fresh.id, 'LEASE');
    expect(lease?.claimant?.S).toBe('worker-a');
    expect(lease?.notifyAttempts?.N).toBe('1');
    expect(lease?.notifiedAt?.S).toBe(NOW);
    expect(lease?.resolveAttempts?.N).toBe('1');
    expect(lease?.expiresAt?.N).toBe(inc?.expiresAt?.N);
    // A write unit is 1 KB: every write of the lease item, several per alert, costs one.
    expect(itemBytes(lease ?? {})).toBeLessThan(1024);
  });

  it('a notification recorded on the lease item reads as recordNotification always wrote it, and is stored once', async () => {
    const fresh = incident('fold1');
    await store.create(fresh);
    await store.recordNotification(fresh.id, posted, '2026-11-23T08:31:00.000Z');
    // One write of the small item: the incident item is untouched.
    expect((await item(fresh.id, 'INC'))?.version?.N).toBe('1');

    const read = await store.get(fresh.id);
    expect(read?.notifications).toEqual([posted]);
    expect(read?.delivery).toEqual({ status: 'delivered', attempts: 1, at: '2026-11-23T08:31:00.000Z' });
    expect(read?.timeline?.at(-1)).toEqual({
      at: '2026-11-23T08:31:00.000Z',
      event: 'notified',
      detail: 'in C0ALERTS01',
    });
    expect(read?.updatedAt).toBe('2026-11-23T08:31:00.000Z');
    const listed = await store.list({ alertname: 'KubePodCrashLooping', limit: 100 });
    expect(listed.items.find((i) => i.id === fresh.id)).toEqual(read);

    // The next write of the incident stores it in the data; reading it back does not count it twice.
    const resolved = await store.resolve(fresh.id, '2026-11-23T09:00:00.000Z', '2026-11-23T09:00:00.000Z');
    expect(resolved?.notifications).toEqual([posted]);
    expect(decodeData((await item(fresh.id, 'INC'))?.data)?.notifications).toEqual([posted]);
    const again = await store.get(fresh.id);
    expect(again?.notifications).toEqual([posted]);
    expect(again?.timeline?.filter((e) => e.event === 'notified')).toHaveLength(1);
  });

  it('no lease item is made for an incident that does not exist', async () => {
    expect(await store.claimNotification('nobody', 'worker-a', now(), 60_000)).toBeUndefined();
    await store.recordNotification('nobody', posted, NOW);
    expect(await item('nobody', 'LEASE')).toBeUndefined();
  });
});

/** An incident as the first item shape stored it: one item, data as a JSON string, lease attributes on it. */
async function putFirstShape(stored: Incident, lease: Record<string, { S: string } | { N: string }>) {
  const current = toItem(stored, 2);
  const { data: _compressed, subject: _subject, ...rest } = current;
  await dynamo.client.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: { ...rest, data: { S: JSON.stringify(stored) }, ...lease },
    }),
  );
}

describe('incidents stored by the first item shape', () => {
  it('notified before the upgrade: read as before, never notified again, and its resolve is told once', async () => {
    const old = { ...incident('legacy1'), notifications: [posted] };
    await putFirstShape(old, { notifiedAt: { S: NOW }, notifyAttempts: { N: '1' } });
    expect(await store.get(old.id)).toEqual(old);

    expect(await store.claimNotification(old.id, 'worker-b', now(), 60_000)).toBeUndefined();
    expect(await store.claimResolveNotice(old.id, 'worker-b', now(), 60_000)).toBe(1);
    await store.markResolveNoticed(old.id, now());
    const later = new Date(Date.parse(NOW) + 3_600_000);
    expect(await store.claimResolveNotice(old.id, 'worker-c', later, 60_000)).toBeUndefined();
    expect((await item(old.id, 'LEASE'))?.notifyAttempts?.N).toBe('1');
  });

  it('a post attempted before the upgrade keeps its attempt count, so the next attempt looks for it first', async () => {
    const old = incident('legacy2');
    await putFirstShape(old, {
      claimant: { S: 'old-worker' },
      claimExpiresAt: { N: String(Date.parse(NOW) - 1000) },
      notifyAttempts: { N: '1' },
    });
    expect(await store.claimNotification(old.id, 'worker-b', now(), 60_000)).toBe(2);
  });

  it('a lease held before the upgrade is still held', async () => {
    const old = incident('legacy3');
    await putFirstShape(old, {
      claimant: { S: 'old-worker' },
      claimExpiresAt: { N: String(Date.parse(NOW) + 30_000) },
      notifyAttempts: { N: '1' },
    });
    expect(await store.claimNotification(old.id, 'worker-b', now(), 60_000)).toBeUndefined();
    const after = new Date(Date.parse(NOW) + 31_000);
    expect(await store.claimNotification(old.id, 'worker-b', after, 60_000)).toBe(2);
  });

  it('an incident whose lease item is gone is still known as notified', async () => {
    // The lease item's TTL is not refreshed by later writes of the incident: it can expire first.
    const notified = { ...incident('expired1'), notifications: [posted] };
    await store.create(notified);
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: TABLE }));
    expect(Items.some((i) => i.pk?.S === `INC#${notified.id}` && i.sk?.S === 'LEASE')).toBe(true);
    await dynamo.client.send(
      new DeleteItemCommand({
        TableName: TABLE,
        Key: { pk: { S: `INC#${notified.id}` }, sk: { S: 'LEASE' } },
      }),
    );
    expect(await store.claimNotification(notified.id, 'worker-a', now(), 60_000)).toBeUndefined();
    expect(await store.claimResolveNotice(notified.id, 'worker-a', now(), 60_000)).toBe(1);
  });
});
