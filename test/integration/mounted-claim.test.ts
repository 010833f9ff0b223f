// A crash-looping pod that ran out of space: triage reads the claims it mounts only then, and picks the fullest.
// The cluster is the holdout scenario rebuilt from a Prometheus whose TSDB volume filled up.
import { describe, expect, it } from 'vitest';
import type { ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { HOLDOUT_SCENARIO_DIR, loadScenarios } from '../../src/local/cluster/scenarios.js';
import { investigateIn } from '../support/investigate-in.js';

const scenario = loadScenarios(HOLDOUT_SCENARIO_DIR).find((s) => s.id === 'pvc-full-prometheus-crashloop')!;
const CLAIM = 'prometheus-kube-prometheus-stack-db-prometheus-kube-prometheus-stack-0';
async function run(cluster: ScenarioCluster) {
  const { findings, requests } = await investigateIn(cluster, scenario.webhook);
  const claimReads = requests.filter((r) => r.path.includes('/persistentvolumeclaims/'));
  const volumeQueries = requests.filter((r) => JSON.stringify(r.query).includes('kubelet_volume_stats'));
  return { result: { findings }, claimReads, volumeQueries };
}

describe('the claims a pod mounts', () => {
  it('are read when its log says "no space left on device", and the full one leads the answer', async () => {
    const { result, claimReads, volumeQueries } = await run(scenario.cluster);
    expect(volumeQueries).toHaveLength(1);
    expect(claimReads.map((r) => r.path)).toEqual([
      `/api/v1/namespaces/monitoring/persistentvolumeclaims/${CLAIM}`,
    ]);
    expect(result.findings[0]?.signatureId).toBe('pvc-filling-up');
    expect(result.findings[0]?.summary).toContain(`monitoring/${CLAIM}`);
  });

  it('are not read at all when the pod did not run out of space', async () => {
    const logs = (scenario.cluster.logs ?? []).map((l) => ({
      ...l,
      text: l.text.replace(/no space left on device/g, 'bad magic number'),
    }));
    const { result, claimReads, volumeQueries } = await run({ ...scenario.cluster, logs });
    expect(claimReads).toEqual([]);
    expect(volumeQueries).toEqual([]);
    expect(result.findings.map((f) => f.signatureId)).not.toContain('pvc-filling-up');
  });
});
