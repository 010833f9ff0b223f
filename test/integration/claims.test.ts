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
import { LeaseHeldError } from '../../src/ports.js';
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

/** A Slack post that hangs until the test fails it: the first attempt holding the lease. */
class SlowNotifier extends ConsoleNotifier {
  fail: (error: Error) => void = () => undefined;
  private enter: () => void = () => undefined;
  readonly entered = new Promise<void>((resolve) => {
    this.enter = resolve;
  });

  override notify(): Promise<never> {
    this.enter();
    return new Promise<never>((_, reject) => {
      this.fail = reject;
    });
  }
}

describe('claims under concurrency', () => {
  it('two concurrent deliveries of one incident post it once', async () => {
    const incident = await stored(envelopeFor('dup1'));
    const before = output.length;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => notifyOnce(incident, { store, notifier, threads }, log, now)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'notified')).toHaveLength(1);
    // The others either came after it (done) or met it holding the lease (retried later by the queue).
    for (const o of outcomes.filter((x) => x.status === 'rejected'))
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(LeaseHeldError);
    expect(output.length - before).toBe(1);
    expect((await store.get(incident.id))?.notifications).toHaveLength(1);
  });

  it('members of a storm checking in at once report it once', async () => {
    const storm = { id: 'storm-concurrent', size: 6 };
    const envelopes = Array.from({ length: 6 }, (_, i) => envelopeFor(`st${i}`, storm));
    const incidents = await Promise.all(envelopes.map(stored));
    const before = output.length;
    const outcomes = await Promise.allSettled(
      envelopes.map((e, i) => reportStorm(e, incidents[i]!, { store, storms, notifier, threads }, log, now)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'notified')).toHaveLength(1);
    for (const o of outcomes.filter((x) => x.status === 'rejected'))
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(LeaseHeldError);
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
    await expect(store.claimNotification(incident.id, 'b', now(), 60_000)).rejects.toThrow(LeaseHeldError);
  });

  it('a delivery that meets the lease held is told so, not "done": if the holder fails, the job is still retried', async () => {
    // The same SQS message can be delivered twice at once. If the second answered "done", SQS would delete the
    // message, and when the first attempt then failed nothing would be left to post the incident.
    const incident = await stored(envelopeFor('held1'));
    const slow = new SlowNotifier((text) => output.push(text));
    const first = notifyOnce(incident, { store, notifier: slow, threads }, log, now);
    await slow.entered;

    const second = await notifyOnce(incident, { store, notifier, threads }, log, now).catch(
      (e: unknown) => e,
    );
    expect(second).toBeInstanceOf(LeaseHeldError);
    expect((second as LeaseHeldError).retryAfterMs).toBeGreaterThan(0);

    slow.fail(new Error('slack: 503'));
    await expect(first).rejects.toThrow('slack: 503');
    // The redelivery of the message now finds the job open and posts it, as attempt 2.
    const before = output.length;
    expect(await notifyOnce(incident, { store, notifier, threads }, log, now)).toBe('notified');
    expect(output.length - before).toBe(1);
  });
});

describe('a resolve that arrives while the post is being made', () => {
  it('waits for the post (back to the queue) instead of finding nothing to tell, and is told once after it', async () => {
    const incident = await stored(envelopeFor('flap1'));
    expect(await store.claimNotification(incident.id, 'poster', now(), 60_000)).toBe(1);
    // A flapping alert: its resolve is delivered while the firing post is still in flight.
    await expect(store.claimResolveNotice(incident.id, 'resolver', now(), 60_000)).rejects.toThrow(
      LeaseHeldError,
    );

    await store.recordNotification(
      incident.id,
      { channel: 'C1', ts: '1700000000.000200' },
      now().toISOString(),
    );
    expect(await store.claimResolveNotice(incident.id, 'resolver', now(), 60_000)).toBe(1);
    await store.markResolveNoticed(incident.id, now());
    // Told: a re-sent resolve finds it done, not held, although the post's lease has not run out yet.
    expect(await store.claimResolveNotice(incident.id, 'again', now(), 60_000)).toBeUndefined();
  });

  it('with no post being made and none made, there is nothing to tell: done, not held', async () => {
    const incident = await stored(envelopeFor('flap2'));
    expect(await store.claimResolveNotice(incident.id, 'resolver', now(), 60_000)).toBeUndefined();
  });
});

describe('the storm resolve is on a lease', () => {
  it('a worker killed while telling the resolve only delays it: after the lease another delivery takes it over', async () => {
    const stormId = 'storm-killed-resolve';
    expect(await storms.claimReport(stormId, 'r', now(), 60_000)).toBe(1);
    await storms.markReported(stormId, { channel: 'C1', ts: '1700000000.000100' }, 0);

    const first = await storms.claimResolvedReport(stormId, 'killed', now(), 60_000);
    expect(first?.parent.ts).toBe('1700000000.000100');
    // The holder is killed at its timeout (no release). While its lease holds, nobody else posts, and a delivery
    // that meets it is returned to the queue rather than counted as done.
    await expect(storms.claimResolvedReport(stormId, 'early', now(), 60_000)).rejects.toThrow(LeaseHeldError);
    const later = new Date(now().getTime() + 61_000);
    const second = await storms.claimResolvedReport(stormId, 'next', later, 60_000);
    expect(second).toMatchObject({ parent: { ts: '1700000000.000100' }, attempt: 2 });

    await storms.markResolvedReported(stormId, later);
    const muchLater = new Date(now().getTime() + 3_600_000);
    expect(await storms.claimResolvedReport(stormId, 'again', muchLater, 60_000)).toBeUndefined();
  });
});
