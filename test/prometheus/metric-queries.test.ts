// Every query the service sends, answered by a real Prometheus over backfilled series, checked down to its fact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directPrometheus } from '../../src/adapters/kubernetes/prometheus.js';
import { ok } from '../../src/domain/context.js';
import { extractFacts } from '../../src/domain/facts.js';
import { containerQueries, metricQueries, nodeQueries } from '../../src/domain/metric-queries.js';
import { alert, context } from '../support/contexts.js';
import { CONTAINER, DRIFT, EXPECTED, fixtureSeries, NAMESPACE, NODE, POD } from '../support/metric-series.js';
import { type RunningPrometheus, realPrometheusSkip, startPrometheus } from '../support/prometheus.js';

const skip = realPrometheusSkip();
const target = { kind: 'pod', namespace: NAMESPACE, pod: POD, container: CONTAINER } as const;

/** A value read from Prometheus against the expected one: exact, or within the drift a moving clock allows. */
function expectValue(key: string, value: number | null | undefined): void {
  const expected = EXPECTED[key as keyof typeof EXPECTED];
  const drift = DRIFT[key as keyof typeof DRIFT] ?? Math.abs(expected) * 1e-9;
  expect(value, key).not.toBeNull();
  expect(Math.abs((value ?? Number.NaN) - expected), `${key}: ${value} vs ${expected}`).toBeLessThanOrEqual(
    drift,
  );
}

describe.skipIf(skip)(`metric queries against a real Prometheus${skip ? ` (${skip})` : ''}`, () => {
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    prometheus = await startPrometheus(fixtureSeries());
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('answers each node and container query alone with the expected single sample', async () => {
    const queries = [...nodeQueries(NODE), ...containerQueries(NAMESPACE, POD, CONTAINER)];
    expect(queries.map((q) => q.key).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const q of queries) {
      const samples = await prometheus.query(q.promql);
      expect(samples, q.promql).toHaveLength(1);
      expectValue(q.key, samples[0]?.value);
    }
  });

  it('answers the combined single request with every key, as the adapter sends it', async () => {
    const values = await directPrometheus(prometheus.url, 5000).instantQueries(
      metricQueries(target, NODE, CONTAINER),
    );
    for (const key of Object.keys(EXPECTED)) expectValue(key, values[key]);
  });

  it('turns the answers into the metric facts the signatures read', async () => {
    const values = await directPrometheus(prometheus.url, 5000).instantQueries(
      metricQueries(target, NODE, CONTAINER),
    );
    const facts = extractFacts(alert(), context({ metrics: ok(values) }));
    const value = (name: string) => {
      const fact = facts.get(name);
      return fact?.kind === 'value' ? fact.value : undefined;
    };
    expect(value('metrics.conntrackRatio')).toBeCloseTo(120_000 / 131_072, 9);
    expect(value('metrics.conntrackDropRate')).toBeCloseTo(42.5, 9);
    expect(value('metrics.conntrackInsertFailedRate')).toBeCloseTo(0.5, 9);
    expect(value('metrics.listenOverflowRate')).toBeCloseTo(37.4, 9);
    expect(value('metrics.listenDropRate')).toBeCloseTo(38.1, 9);
    expect(value('metrics.loadPerCore')).toBe(1.5);
    expect(value('metrics.iowaitRatio')).toBeCloseTo(0.3, 9);
    expect(value('metrics.rootFsAvailableRatio')).toBeCloseTo((10 * 1024 - 3600) / (50 * 1024), 2);
    expect(value('metrics.memoryAvailableRatio')).toBe(1 / 16);
    expect(value('metrics.filefdRatio')).toBe(0.9);
    expect(value('metrics.oomKillsRecent')).toBeCloseTo(3, 9);
    expect(value('metrics.memoryUsageRatio')).toBeCloseTo(720 / 1024, 2);
    const quote = facts.get('metrics.oomKillsRecent');
    expect(quote?.kind === 'value' && quote.quote()).toBe(`OOM-killer kills on ${NODE} in the last 30m: 3`);
  });
});
