// The stand-in's PromQL on straight-line series; test/prometheus/standin-agreement proves the same against Prometheus.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/local/cluster/promql-eval.js';
import type { ScenarioSeries } from '../../src/local/cluster/scenario.js';

const SERIES: ScenarioSeries[] = [
  { metric: 'drops', labels: { instance: 'a' }, value: 100, perSecond: 2 },
  { metric: 'drops', labels: { instance: 'b' }, value: 50, perSecond: 0.5 },
  { metric: 'avail', labels: { instance: 'a', mountpoint: '/' }, value: 10_000, perSecond: -1 },
  { metric: 'size', labels: { instance: 'a', mountpoint: '/' }, value: 20_000 },
];

/** Matches by metric name only, enough for these shapes. */
const select = (selector: string) => SERIES.filter((s) => selector.startsWith(s.metric));
const values = (expr: string) => evaluate(expr, select)?.map((s) => s.value);

describe('stand-in PromQL', () => {
  it('reads a counter by its slope, not its value, under rate and increase', () => {
    expect(values('sum(rate(drops[5m]))')).toEqual([2.5]);
    expect(values('increase(drops[30m])')).toEqual([3600, 900]);
    expect(values('drops')).toEqual([100 + 2 * 3600, 50 + 0.5 * 3600]);
  });

  it('evaluates windows, predict_linear and grouping over the hour of history', () => {
    expect(values('max_over_time(avail[30m])')).toEqual([10_000 - 1800]);
    expect(values('min_over_time(avail[2h])')).toEqual([10_000 - 3600]);
    expect(values('predict_linear(avail[1h], 2 * 3600)')).toEqual([10_000 - 3600 - 7200]);
    expect(evaluate('sum by (instance) (rate(drops[5m]))', select)).toEqual([
      { labels: { instance: 'a' }, value: 2 },
      { labels: { instance: 'b' }, value: 0.5 },
    ]);
  });

  it('does arithmetic with precedence and one-to-one label matching', () => {
    expect(values('avail / size')).toEqual([(10_000 - 3600) / 20_000]);
    expect(values('1 - avail / size * 2')).toEqual([1 - ((10_000 - 3600) / 20_000) * 2]);
    expect(values('drops / size')).toEqual([]);
  });

  it('negates with unary minus, and aggregates any expression it knows (max(-deriv(...)) is a fill rate)', () => {
    expect(values('max(-deriv(avail[6h]))')).toEqual([1]);
    expect(values('-deriv(avail[6h])')).toEqual([1]);
    expect(values('min(-rate(drops[5m]))')).toEqual([-2]);
  });

  it('leaves shapes it does not know to the caller', () => {
    expect(evaluate('histogram_quantile(0.9, rate(drops[5m]))', select)).toBeUndefined();
    expect(evaluate('rate(drops)', select)).toBeUndefined();
    expect(evaluate('drops > 3', select)).toBeUndefined();
  });
});
