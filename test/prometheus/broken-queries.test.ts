// The real-Prometheus harness catches a wrong query: each mutation (label, window, function, aggregation) breaks a fact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directPrometheus } from '../../src/adapters/kubernetes/prometheus.js';
import { ok } from '../../src/domain/context.js';
import { extractFacts } from '../../src/domain/facts.js';
import { type MetricQuery, metricQueries } from '../../src/domain/metric-queries.js';
import { alert, context } from '../support/contexts.js';
import { CONTAINER, fixtureSeries, NAMESPACE, NODE, POD } from '../support/metric-series.js';
import { type RunningPrometheus, realPrometheusSkip, startPrometheus } from '../support/prometheus.js';

const skip = realPrometheusSkip();
const target = { kind: 'pod', namespace: NAMESPACE, pod: POD, container: CONTAINER } as const;

/** One plausible mistake in one query, and the fact that must then be missing or wrong. */
interface Mutation {
  readonly key: string;
  readonly from: string | RegExp;
  readonly to: string;
  readonly fact: string;
}

const MUTATIONS: readonly Mutation[] = [
  { key: 'conntrackEntries', from: 'instance=', to: 'node=', fact: 'metrics.conntrackRatio' },
  { key: 'cpuCores', from: 'node=', to: 'instance=', fact: 'metrics.loadPerCore' },
  { key: 'oomKillsRecent', from: '[30m]', to: '[5m]', fact: 'metrics.oomKillsRecent' },
  { key: 'workingSetBytes', from: '[30m]', to: '[5m]', fact: 'metrics.workingSetBytes' },
  {
    key: 'workingSetBytes',
    from: ', metrics_path="/metrics/cadvisor"',
    to: '',
    fact: 'metrics.workingSetBytes',
  },
  { key: 'conntrackDropRate', from: /rate\((.*)\[5m\]\)/, to: '$1', fact: 'metrics.conntrackDropRate' },
  { key: 'listenOverflowRate', from: 'rate(', to: 'increase(', fact: 'metrics.listenOverflowRate' },
  { key: 'iowaitRatio', from: ', mode="iowait"', to: '', fact: 'metrics.iowaitRatio' },
  { key: 'iowaitRatio', from: 'avg(', to: 'sum(', fact: 'metrics.iowaitRatio' },
  { key: 'rootFsAvailableBytes', from: ', mountpoint="/"', to: '', fact: 'metrics.rootFsAvailableRatio' },
  { key: 'memoryLimitBytes', from: 'container=', to: 'container_name=', fact: 'metrics.memoryUsageRatio' },
];

function mutate(queries: readonly MetricQuery[], m: Mutation): MetricQuery[] {
  return queries.map((q) => {
    if (q.key !== m.key) return q;
    const promql = q.promql.replace(m.from, m.to);
    if (promql === q.promql) throw new Error(`mutation ${String(m.from)} does not apply to ${q.promql}`);
    return { key: q.key, promql };
  });
}

describe.skipIf(skip)(`broken queries against a real Prometheus${skip ? ` (${skip})` : ''}`, () => {
  let prometheus: RunningPrometheus;
  const factsOf = async (queries: readonly MetricQuery[]) => {
    const values = await directPrometheus(prometheus.url, 5000).instantQueries(queries);
    const facts = extractFacts(alert(), context({ metrics: ok(values) }));
    return (name: string) => {
      const fact = facts.get(name);
      return fact?.kind === 'value' ? fact.value : undefined;
    };
  };

  beforeAll(async () => {
    prometheus = await startPrometheus(fixtureSeries());
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  it.each(MUTATIONS)('$key with $from -> $to loses or changes $fact', async (m) => {
    const queries = metricQueries(target, NODE, CONTAINER);
    const right = (await factsOf(queries))(m.fact);
    const wrong = (await factsOf(mutate(queries, m)))(m.fact);
    expect(typeof right).toBe('number');
    if (wrong !== undefined) {
      // Sloped series move a little between the two requests; a mistake moves the fact by far more.
      expect(Math.abs(Number(wrong) - Number(right)) / Math.abs(Number(right))).toBeGreaterThan(0.05);
    }
  });
});
