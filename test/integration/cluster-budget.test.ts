// A request budget for the cluster, like client-go's QPS and burst: shared by every read of a worker, every method
// of the inspector included (methods added later too), and never exceeded. Clock and sleep are injected: no waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { budgeted, TokenBucket } from '../../src/triage/cluster-budget.js';
import { buildInspector } from '../../src/wiring.js';
import { postWebhook, startHarness } from '../support/harness.js';
import { stormWebhook } from '../support/storm-webhook.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
let k8s: KubernetesStandIn;
beforeAll(async () => {
  k8s = await startKubernetesStandIn({ cluster: oom.cluster });
});
afterAll(async () => k8s.close());

/** A fake clock that the bucket's sleep moves: admissions are recorded at the time they would happen. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    clock: () => now,
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('cluster request budget', () => {
  it('admits a burst, then paces at the rate: no one-second window exceeds burst + rate', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket(20, 40, time.clock, time.sleep);
    const admitted: number[] = [];
    const pending: Promise<void>[] = [];
    // 200 requests at once: each is admitted now, or after the wait the bucket asks it to sleep.
    for (let i = 0; i < 200; i += 1) {
      const before = time.waits.length;
      pending.push(bucket.take());
      admitted.push(time.clock() + (time.waits.length > before ? (time.waits[before] ?? 0) : 0));
    }
    await Promise.all(pending);
    admitted.sort((a, b) => a - b);
    expect(admitted.filter((t) => t === 0)).toHaveLength(40);
    let peak = 0;
    for (const [i, t] of admitted.entries())
      peak = Math.max(peak, admitted.filter((u, j) => j >= i && u < t + 1000).length);
    expect(peak).toBeLessThanOrEqual(60);
    // 160 beyond the burst at 20/s: the last is admitted 8 s in.
    expect(admitted.at(-1)).toBe(8000);
  });

  it('refills with time, up to the burst only', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket(10, 5, time.clock, time.sleep);
    for (let i = 0; i < 5; i += 1) await bucket.take();
    expect(time.waits).toEqual([]);
    time.advance(60_000);
    for (let i = 0; i < 6; i += 1) await bucket.take();
    expect(time.waits).toEqual([100]);
  });

  it('wraps every method, including ones it was not written for, and charges metrics per query', async () => {
    const time = fakeTime();
    const calls: string[] = [];
    const inner = {
      pod: async (ns: string, name: string) => calls.push(`pod ${ns}/${name}`),
      someMethodAddedLater: async () => calls.push('later'),
      metrics: async (queries: readonly unknown[]) => calls.push(`metrics ${queries.length}`),
    };
    const wrapped = budgeted(inner, new TokenBucket(10, 1, time.clock, time.sleep), {
      metrics: (q) => (q as unknown[]).length,
    });
    await wrapped.pod('a', 'b');
    await wrapped.someMethodAddedLater();
    await wrapped.metrics([1, 2, 3]);
    expect(calls).toEqual(['pod a/b', 'later', 'metrics 3']);
    expect(time.waits).toEqual([100, 400]);
  });

  it('the inspector a worker is built with spends from one budget (CLUSTER_QPS, CLUSTER_BURST)', async () => {
    const time = fakeTime();
    const config = loadConfig(
      { CLUSTER_PROXY_URL: k8s.url, PROMETHEUS_SERVICE: '', CLUSTER_QPS: '10', CLUSTER_BURST: '2' },
      'local',
    );
    const inspector = buildInspector(config, undefined, { clock: time.clock, sleep: time.sleep });
    const pod = await inspector.pod('payments', 'checkout-api-7d9f8c6b5-x2x7q');
    await inspector.podEvents('payments', 'checkout-api-7d9f8c6b5-x2x7q');
    await inspector.node('node-does-not-matter');
    await inspector.nodeEvents('node-does-not-matter');
    expect(pod === undefined || typeof pod === 'object').toBe(true);
    expect(time.waits).toEqual([100, 200]);
  });
});

describe('the local queue is bounded', () => {
  it('a webhook that would overfill it is answered 503 (Alertmanager retries) and logged; a smaller one is taken', async () => {
    const h = await startHarness({ cluster: oom.cluster, queueMax: 3 });
    try {
      const refused = await postWebhook(h, stormWebhook(loadScenarios(), 10));
      expect(refused.status).toBe(503);
      expect(h.logs.some((l) => l.includes('local queue full'))).toBe(true);
      const taken = await postWebhook(h, oom.webhook);
      expect(taken.status).toBe(200);
      await h.queue.idle();
    } finally {
      await h.close();
    }
  });
});
