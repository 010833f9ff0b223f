// The accuracy target holds in CI: every scenario through real gathering and the engine, top-1 >= 95%, no confident-wrong.
import { describe, expect, it } from 'vitest';
import { runAccuracy } from '../../bench/accuracy-lib.js';

describe('diagnosis accuracy over events/scenarios', () => {
  it('meets the target and never answers confidently wrong', async () => {
    const report = await runAccuracy();
    const misses = report.results
      .filter((r) => !r.correct)
      .map((r) => `${r.id}: got ${r.top?.signatureId ?? 'nothing'}`);
    expect(misses.length / report.results.length, misses.join('\n')).toBeLessThanOrEqual(0.05);
    expect(report.results.filter((r) => r.confidentWrong).map((r) => r.id)).toEqual([]);
    for (const r of report.results) {
      if (r.top) expect(r.top.evidence.length, `${r.id} cites no evidence`).toBeGreaterThan(0);
    }
  }, 300_000);
});
