// Oversize values end to end: they are accepted, stored within DynamoDB's limits and posted, never dead-lettered.
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { hmacCursors } from '../../src/adapters/dynamo/incident-list.js';
import { DynamoIncidentStore } from '../../src/adapters/dynamo/incident-store.js';
import { DynamoThreadIndex } from '../../src/adapters/dynamo/thread-index.js';
import { resolveTarget } from '../../src/domain/alert.js';
import type { Incident } from '../../src/domain/incident.js';
import { newIncident } from '../../src/domain/incident.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamo.js';
import { alert, context } from '../support/contexts.js';
import { getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;

describe('an alert with a 900 KiB annotation and a 3 KiB namespace label', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ cluster: oom.cluster });
  });
  afterAll(async () => h.close());

  it('is accepted, diagnosed, stored and posted once, with nothing dead-lettered', async () => {
    const webhook = structuredClone(oom.webhook) as { alerts: Record<string, Record<string, string>>[] };
    const first = webhook.alerts[0]!;
    first.annotations = { ...first.annotations, description: 'd'.repeat(900 * 1024) };
    const response = await postWebhook(h, webhook);
    expect(response.status).toBe(200);
    await h.queue.idle();

    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const listed = (await (await getJson(h, '/incidents')).json()) as { items: Incident[] };
    expect(listed.items).toHaveLength(1);
    const incident = listed.items[0]!;
    expect(incident.findings[0]?.signatureId).toBe('container-oom-killed');
    expect(incident.annotations.description).toContain('[cut from 921600 bytes');
    expect(h.logs.join('\n')).not.toContain('dead letter');
    expect(h.logs.some((l) => l.includes('alert values cut to size'))).toBe(true);
  });
});

describe('the incident store at DynamoDB limits', () => {
  let dynamo: EmbeddedDynamo;
  let store: DynamoIncidentStore;
  let threads: DynamoThreadIndex;
  const table = 'oversize';
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    await ensureTable(dynamo.client, table);
    store = new DynamoIncidentStore(dynamo.client, table, hmacCursors('cursor-secret-0123456789abcdef'));
    threads = new DynamoThreadIndex(dynamo.client, table);
  });
  afterAll(async () => dynamo.close());

  /**
   * dynalite does not enforce these, DynamoDB does: partition keys (table and index) at most 2048 bytes, sort
   * keys 1024, items 400 KB (names and values counted).
   */
  async function expectWithinDynamoLimits(): Promise<void> {
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: table }));
    expect(Items.length).toBeGreaterThan(0);
    const size = (v: AttributeValue) => v.B?.length ?? Buffer.byteLength(v.S ?? v.N ?? '', 'utf8');
    for (const item of Items) {
      let total = 0;
      for (const [name, value] of Object.entries(item)) {
        total += Buffer.byteLength(name) + size(value);
        if (name.endsWith('pk')) expect(size(value), name).toBeLessThanOrEqual(2048);
        if (name.endsWith('sk')) expect(size(value), name).toBeLessThanOrEqual(1024);
      }
      expect(total).toBeLessThanOrEqual(400 * 1024);
    }
  }

  let serial = 0;
  const incidentWith = (labels: Record<string, string>, annotations: Record<string, string>): Incident => {
    serial += 1;
    const a = { ...alert(labels), annotations, fingerprint: `fp${serial}` };
    return newIncident(
      {
        alert: a,
        groupKey: 'g',
        receiver: 'r',
        externalURL: '',
        truncatedAlerts: 0,
        groupSize: 1,
        receivedAt: '',
      },
      context({ target: resolveTarget(a.labels) }),
      [],
      '2026-11-23T08:30:00.000Z',
    );
  };

  it('stores an incident whose JSON exceeds 400 KB (queued before ingest bounds) by shortening it', async () => {
    const big = incidentWith({}, { description: 'x'.repeat(600 * 1024), runbook: 'y'.repeat(300 * 1024) });
    expect(await store.create(big)).toBe('created');
    const read = await store.get(big.id);
    expect(read?.id).toBe(big.id);
    expect(read?.labels).toEqual(big.labels);
    expect(read?.annotations.description?.length).toBeLessThan(2048);
    expect(read?.annotations.description).toContain('[cut from 614400 bytes');
    await expectWithinDynamoLimits();
  });

  it('stores an incident whose namespace is too long to index, and still lists it unfiltered', async () => {
    // Resolution refuses such a name now; an incident stored before that (or written by hand) must still fit.
    const longNamespace = 'n'.repeat(3000);
    const resolved = incidentWith({ namespace: longNamespace, alertname: 'LongNamespace' }, {});
    expect(resolved.target.kind).toBe('none');
    const incident: Incident = { ...resolved, target: { kind: 'namespace', namespace: longNamespace } };
    expect(await store.create(incident)).toBe('created');
    const all = await store.list({ alertname: 'LongNamespace', limit: 10 });
    expect(all.items.map((i) => i.id)).toEqual([incident.id]);
    await expectWithinDynamoLimits();
  });

  it('keeps a thread pointer under a group key far longer than a partition key may be', async () => {
    const key = `GROUP#${'{}:{'.padEnd(1024, 'k')}}`;
    const ref = { channel: 'C1', ts: '1.000001', incidentId: 'i', at: '2026-11-23T08:30:00.000Z' };
    await threads.remember(`${key}a`, ref, 3600);
    expect(await threads.find(`${key}a`)).toEqual(ref);
    expect(await threads.find(`${key}b`)).toBeUndefined();
    await expectWithinDynamoLimits();
  });
});
