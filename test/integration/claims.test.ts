// Claims are exclusive between concurrent attempts in one process (and across Lambda environments, which share a
// pid): two deliveries of one alert, or the last members of a storm, never post twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { hmacCursors } from '../../src/adapters/dynamo/incident-list.js';
import { DynamoIncidentStore } from '../../src/adapters/dynamo/incident-store.js';
import { DynamoStormStore } from '../../src/adapters/dynamo/storm-store.js';
import { DynamoThreadIndex } from '../../src/adapters/dynamo/thread-index.js';
import { ConsoleNotifier } from '../../src/adapters/slack/console-notifier.js';
import { type AlertEnvelope, resolveTarget } from '../../src/domain/alert.js';
import { type Incident, newIncident } from '../../src/domain/incident.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamo.js';
import { notifyOnce } from '../../src/triage/notify.js';
import { reportStorm } from '../../src/triage/storm.js';
import { alert, context } from '../support/contexts.js';
import { memoryLogger } from '../support/memory-logger.js';

let dynamo: EmbeddedDynamo;
let store: DynamoIncidentStore;
let storms: DynamoStormStore;
let threads: DynamoThreadIndex;
const output: string[] = [];
const notifier = new ConsoleNotifier((text) => output.push(text));
const { log } = memoryLogger([]);
const now = () => new Date('2026-11-23T08:30:00.000Z');

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, 'claims');
  store = new DynamoIncidentStore(dynamo.client, 'claims', hmacCursors('cursor-secret-0123456789abcdef'));
  storms = new DynamoStormStore(dynamo.client, 'claims');
  threads = new DynamoThreadIndex(dynamo.client, 'claims');
});
afterAll(async () => dynamo.close());

function envelopeFor(fingerprint: string, storm?: AlertEnvelope['storm']): AlertEnvelope {
  const a = { ...alert({ pod: `pod-${fingerprint}` }), fingerprint };
  return {
    alert: a,
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    receiver: 'r',
    externalURL: '',
    truncatedAlerts: 0,
    groupSize: 1,
    receivedAt: now().toISOString(),
    ...(storm ? { storm } : {}),
  };
}

async function stored(envelope: AlertEnvelope): Promise<Incident> {
  const incident = newIncident(
    envelope,
    context({ target: resolveTarget(envelope.alert.labels) }),
    [],
    now().toISOString(),
  );
  await store.create(incident);
  return incident;
}

describe('claims under concurrency', () => {
  it('two concurrent deliveries of one incident post it once', async () => {
    const incident = await stored(envelopeFor('dup1'));
    const before = output.length;
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => notifyOnce(incident, { store, notifier, threads }, log, now)),
    );
    expect(outcomes.filter((o) => o === 'notified')).toHaveLength(1);
    expect(output.length - before).toBe(1);
    expect((await store.get(incident.id))?.notifications).toHaveLength(1);
  });

  it('members of a storm checking in at once report it once', async () => {
    const storm = { id: 'storm-concurrent', size: 6 };
    const envelopes = Array.from({ length: 6 }, (_, i) => envelopeFor(`st${i}`, storm));
    const incidents = await Promise.all(envelopes.map(stored));
    const before = output.length;
    const outcomes = await Promise.all(
      envelopes.map((e, i) => reportStorm(e, incidents[i]!, { store, storms, notifier, threads }, log, now)),
    );
    expect(outcomes.filter((o) => o === 'notified')).toHaveLength(1);
    expect(output.slice(before).filter((t) => t.includes('storm'))).toHaveLength(1);
  });
});

describe('leases survive other writes', () => {
  it('a delivery failure recorded between two claims keeps the attempt count', async () => {
    const incident = await stored(envelopeFor('lease1'));
    expect(await store.claimNotification(incident.id, 'a', now(), 60_000)).toBe(1);
    await store.recordDeliveryFailure(incident.id, 'slack: 503', now().toISOString());
    await store.releaseNotification(incident.id, 'a');
    // The second claim must know an earlier attempt may have posted, so it looks before posting.
    expect(await store.claimNotification(incident.id, 'b', now(), 60_000)).toBe(2);
  });

  it('a resolve between a claim and its expiry leaves the lease held', async () => {
    const incident = await stored(envelopeFor('lease2'));
    expect(await store.claimNotification(incident.id, 'a', now(), 60_000)).toBe(1);
    await store.resolve(incident.id, now().toISOString(), now().toISOString());
    expect(await store.claimNotification(incident.id, 'b', now(), 60_000)).toBeUndefined();
  });
});

describe('the storm resolve is on a lease', () => {
  it('a worker killed while telling the resolve only delays it: after the lease another delivery takes it over', async () => {
    const stormId = 'storm-killed-resolve';
    expect(await storms.claimReport(stormId, 'r', now(), 60_000)).toBe(1);
    await storms.markReported(stormId, { channel: 'C1', ts: '1700000000.000100' }, 0);

    const first = await storms.claimResolvedReport(stormId, 'killed', now(), 60_000);
    expect(first?.parent.ts).toBe('1700000000.000100');
    // The holder is killed at its timeout (no release). While its lease holds, nobody else posts.
    expect(await storms.claimResolvedReport(stormId, 'early', now(), 60_000)).toBeUndefined();
    const later = new Date(now().getTime() + 61_000);
    const second = await storms.claimResolvedReport(stormId, 'next', later, 60_000);
    expect(second).toMatchObject({ parent: { ts: '1700000000.000100' }, attempt: 2 });

    await storms.markResolvedReported(stormId, later);
    const muchLater = new Date(now().getTime() + 3_600_000);
    expect(await storms.claimResolvedReport(stormId, 'again', muchLater, 60_000)).toBeUndefined();
  });
});
