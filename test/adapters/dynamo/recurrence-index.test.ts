// Recurrence read from the signature index: each index item carries the incident's workload, so the count needs no
// incident item, except for incidents stored before the workload was (those are read in full and still count).
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../../src/adapters/dynamo/ensure-table.js';
import { hmacCursors } from '../../../src/adapters/dynamo/incident-list.js';
import { DynamoIncidentStore } from '../../../src/adapters/dynamo/incident-store.js';
import { resolveTarget } from '../../../src/domain/alert.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { Finding } from '../../../src/domain/signature.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../src/local/embedded-dynamo.js';
import { withRecurrence } from '../../../src/triage/recurrence.js';
import { alert, context } from '../../support/contexts.js';
import { incidentOf } from '../../support/incidents.js';

const TABLE = 'recurrence';
let dynamo: EmbeddedDynamo;
let store: DynamoIncidentStore;
const commands: string[] = [];

const finding = (signatureId: string): Finding => ({
  signatureId,
  title: 'OOM killed',
  confidence: 'high',
  summary: 'killed for memory',
  evidence: [],
  remediation: [],
});

function incident(n: number, labels: Record<string, string>, startsAt: string, signature = 'oom'): Incident {
  const a = { ...alert(labels), fingerprint: `rec${n}`, startsAt };
  return incidentOf(
    a,
    context({ target: resolveTarget(a.labels) }),
    [finding(signature)],
    startsAt,
    startsAt,
  );
}

const checkout = (suffix: string) => ({ pod: `checkout-api-7d9f8c6b5-${suffix}` });

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, TABLE);
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String((context as { commandName?: string }).commandName));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  store = new DynamoIncidentStore(dynamo.client, TABLE, hmacCursors('cursor-secret-0123456789abcdef'));
  const stored = [
    incident(1, checkout('aaaaa'), '2026-11-20T08:00:00.000Z'),
    incident(2, checkout('bbbbb'), '2026-11-21T08:00:00.000Z'),
    incident(3, checkout('ccccc'), '2026-11-22T08:00:00.000Z'),
    // Another workload, another namespace, another signature, and one that started later: none count.
    incident(4, { pod: 'billing-5d8f7c9b6-ddddd' }, '2026-11-22T09:00:00.000Z'),
    incident(5, { ...checkout('eeeee'), namespace: 'shop' }, '2026-11-22T10:00:00.000Z'),
    incident(6, checkout('fffff'), '2026-11-22T11:00:00.000Z', 'probe'),
    incident(7, checkout('ggggg'), '2026-11-24T08:00:00.000Z'),
  ];
  for (const i of stored) await store.create(i);
});
afterAll(async () => dynamo.close());

describe('recurrence from the signature index', () => {
  const now = new Date('2026-11-23T08:30:00.000Z');
  const current = () => incident(9, checkout('zzzzz'), '2026-11-23T08:00:00.000Z');

  it('counts earlier incidents of the signature on the workload from index items alone', async () => {
    commands.length = 0;
    const found = await withRecurrence(current(), store, now);
    expect(found.findings[0]?.recurrence).toEqual({ count: 3, lastAt: '2026-11-22T08:00:00.000Z' });
    expect(commands).toEqual(['QueryCommand']);
  });

  it('still counts an incident stored before the index carried the workload, reading that one in full', async () => {
    const legacy = incident(8, checkout('hhhhh'), '2026-11-22T12:00:00.000Z');
    await store.create(legacy);
    await dynamo.client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: `INC#${legacy.id}` }, sk: { S: 'INC' } },
        UpdateExpression: 'REMOVE subject',
      }),
    );
    commands.length = 0;
    const found = await withRecurrence(current(), store, now);
    expect(found.findings[0]?.recurrence).toEqual({ count: 4, lastAt: '2026-11-22T12:00:00.000Z' });
    expect(commands).toEqual(['QueryCommand', 'BatchGetItemCommand']);
  });
});
