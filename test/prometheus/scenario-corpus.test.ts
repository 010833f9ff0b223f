// The scenario corpus with its metric queries answered by a real Prometheus: same diagnoses, same values as the stand-in.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../bench/accuracy-compare.js';
import { runAccuracy } from '../../bench/accuracy-lib.js';
import { realPrometheusSkip } from '../support/prometheus.js';

const skip = realPrometheusSkip();

describe.skipIf(skip)(`events/scenarios against a real Prometheus${skip ? ` (${skip})` : ''}`, () => {
  it('meets the accuracy target and agrees with the stand-in on every diagnosis and metric value', async () => {
    const real = await runAccuracy({ mode: 'real' });
    const answered = real.results.filter((r) => typeof r.metrics !== 'string');
    // Every scenario with series gets answers from Prometheus: the proxy really reached it.
    expect(answered.length).toBeGreaterThan(real.results.length / 2);
    expect(real.top1).toBeGreaterThanOrEqual(0.95);
    expect(real.results.filter((r) => r.confidentWrong).map((r) => r.id)).toEqual([]);
    expect(compareRuns(await runAccuracy(), real)).toEqual([]);
  }, 900_000);
});
