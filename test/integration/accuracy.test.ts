// The accuracy target holds in CI: every scenario through real gathering and the engine, top-1 >= 95%, no confident-wrong.
import { describe, expect, it } from 'vitest';
import { runAccuracy } from '../../bench/accuracy-lib.js';
import {
  FIELD_SCENARIO_DIR,
  HOLDOUT_SCENARIO_DIR,
  loadScenarios,
} from '../../src/local/cluster/scenarios.js';

async function expectTarget(dir?: string) {
  const report = await runAccuracy(dir ? { dir } : {});
  const misses = report.results
    .filter((r) => !r.correct)
    .map((r) => `${r.id}: got ${r.top?.signatureId ?? 'nothing'}`);
  expect(misses.length / report.results.length, misses.join('\n')).toBeLessThanOrEqual(0.05);
  expect(report.results.filter((r) => r.confidentWrong).map((r) => r.id)).toEqual([]);
  for (const r of report.results) {
    if (r.top) expect(r.top.evidence.length, `${r.id} cites no evidence`).toBeGreaterThan(0);
  }
  return report;
}

describe('diagnosis accuracy over events/scenarios', () => {
  it('meets the target and never answers confidently wrong', async () => {
    await expectTarget();
  }, 300_000);
});

describe('diagnosis accuracy over events/field (rebuilt from public bug reports)', () => {
  it('every scenario names the public report it comes from and the class of mistake it probes', () => {
    const scenarios = loadScenarios(FIELD_SCENARIO_DIR);
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    for (const s of scenarios) {
      expect(s.source, s.id).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/);
      expect(s.class, s.id).toBeDefined();
    }
    expect(new Set(scenarios.map((s) => s.source)).size).toBe(scenarios.length);
  });

  it('meets the same target and never answers confidently wrong', async () => {
    await expectTarget(FIELD_SCENARIO_DIR);
  }, 300_000);
});

/**
 * Holdout scenarios the engine still answers wrongly, each with why it is left so. A scenario fixed later must be
 * removed here, and a new miss must be explained here before the test passes.
 */
const HOLDOUT_KNOWN_MISSES: Record<string, string> = {
  'pvc-full-prometheus-crashloop':
    'for a pod alert the service reads neither the claims the pod mounts nor their kubelet volume stats, so the full PVC behind the log\'s "no space left on device" is not evidence it has; only KubePersistentVolumeFillingUp (answered by pvc-filling-up) carries it',
};

describe('diagnosis accuracy over events/holdout (public reports of classes the field corpus lacks)', () => {
  it('every scenario names the public report it comes from and its class', () => {
    const scenarios = loadScenarios(HOLDOUT_SCENARIO_DIR);
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
    for (const s of scenarios) {
      expect(s.source, s.id).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/);
      expect(s.class, s.id).toBeDefined();
    }
    expect(new Set(scenarios.map((s) => s.source)).size).toBe(scenarios.length);
  });

  it('meets the target, never answers confidently wrong, and misses only the listed scenarios', async () => {
    const report = await expectTarget(HOLDOUT_SCENARIO_DIR);
    const misses = report.results.filter((r) => !r.correct).map((r) => r.id);
    expect(misses.sort()).toEqual(Object.keys(HOLDOUT_KNOWN_MISSES).sort());
  }, 300_000);
});
