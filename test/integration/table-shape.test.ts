// DynamoDB shaped for cost: no index partition takes every write, index items carry no incident data, and the
// playbook is read once per short while instead of once per alert (and re-read at once after a change here).
import { DescribeTableCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { loadConfig } from '../../src/config.js';
import { resolveTarget } from '../../src/domain/alert.js';
import {
  type EmbeddedDynamo,
  localDynamoClient,
  startEmbeddedDynamo,
} from '../../src/local/embedded-dynamo.js';
import { buildPlaybookStore, buildStore } from '../../src/stores.js';
import { alert, context } from '../support/contexts.js';
import { incidentOf } from '../support/incidents.js';

const TABLE = 'shape';
const config = loadConfig({ TABLE_NAME: TABLE }, 'local');
let dynamo: EmbeddedDynamo;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, TABLE);
  const store = buildStore(config, dynamo.client);
  for (let i = 0; i < 40; i += 1) {
    const a = { ...alert({ pod: `p-${i}` }), fingerprint: `s${String(i).padStart(15, '0')}` };
    await store.create(
      incidentOf(a, context({ target: resolveTarget(a.labels) }), [], a.startsAt, a.startsAt),
    );
  }
});
afterAll(async () => dynamo.close());

describe('table shape', () => {
  it('no index partition holds every incident: the all and status indexes are sharded', async () => {
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: TABLE }));
    const incidents = Items.filter((i) => i.sk?.S === 'INC');
    expect(incidents).toHaveLength(40);
    for (const attribute of ['gsi1pk', 'gsi2pk']) {
      const partitions = new Map<string, number>();
      for (const item of incidents) {
        const value = item[attribute]?.S ?? '';
        partitions.set(value, (partitions.get(value) ?? 0) + 1);
      }
      expect(partitions.size).toBeGreaterThanOrEqual(4);
      expect(Math.max(...partitions.values())).toBeLessThan(20);
    }
  });

  it('indexes project keys and filter attributes only; lists still return whole incidents', async () => {
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: TABLE }));
    for (const index of Table?.GlobalSecondaryIndexes ?? [])
      expect(index.Projection?.ProjectionType).not.toBe('ALL');
    const sample = (await dynamo.client.send(new ScanCommand({ TableName: TABLE, Limit: 1 }))).Items?.[0];
    const onIndex = await dynamo.client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'gsi5',
        KeyConditionExpression: 'gsi5pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: sample?.gsi5pk?.S ?? '' } },
        Limit: 1,
      }),
    );
    expect(onIndex.Items?.[0]?.data).toBeUndefined();
    const page = await buildStore(config, dynamo.client).list({ limit: 15 });
    expect(page.items).toHaveLength(15);
    expect(page.items[0]?.labels.alertname).toBeDefined();
    expect(page.items[0]?.id).toMatch(/^s/);
  });

  it('the playbook is read once while fresh, and again at once after a change through this process', async () => {
    let queries = 0;
    const client = localDynamoClient(dynamo.endpoint);
    client.middlewareStack.add(
      (next) => async (args) => {
        if ((args.input as { KeyConditionExpression?: string }).KeyConditionExpression) queries += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );
    const playbooks = buildPlaybookStore(config, client);
    await playbooks.entries();
    await playbooks.entries();
    await playbooks.entries();
    expect(queries).toBe(1);
    await playbooks.put({ id: 'disk-full', kind: 'disabled', updatedAt: '2026-11-23T08:00:00Z' });
    expect((await playbooks.entries()).map((e) => e.id)).toEqual(['disk-full']);
    expect(queries).toBe(2);
    await playbooks.remove('disk-full');
    expect(await playbooks.entries()).toEqual([]);
    expect(queries).toBe(3);
  });
});
