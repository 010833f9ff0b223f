// DaemonSet placement against taints and node selectors, and each kind's state in words.
import { describe, expect, it } from 'vitest';
import { placementGaps } from '../../../src/domain/workload/placement.js';
import { stateLine } from '../../../src/domain/workload/state.js';
import type { NodePlacementSnapshot } from '../../../src/domain/workload/types.js';
import { deployment, template } from '../../support/workloads.js';

const nodeOf = (
  name: string,
  taints: NodePlacementSnapshot['taints'] = [],
  labels: Record<string, string> = { pool: 'edge' },
): NodePlacementSnapshot => ({
  name,
  labels,
  taints,
  unschedulable: false,
});

describe('placementGaps', () => {
  const t = template({
    nodeSelector: { pool: 'edge' },
    tolerations: [{ key: 'role', operator: 'Exists', effect: 'NoSchedule' }],
  });

  it('finds the node running a daemon pod under a taint it does not tolerate, and says which', () => {
    const gaps = placementGaps(
      t,
      [
        nodeOf('a', [{ key: 'role', effect: 'NoSchedule' }]),
        nodeOf('b', [{ key: 'dedicated', value: 'payments', effect: 'NoSchedule' }]),
      ],
      new Set(['a', 'b']),
    );
    expect(gaps).toEqual([
      {
        node: 'b',
        kind: 'misscheduled',
        why: 'taint dedicated=payments:NoSchedule is not tolerated',
        taint: { key: 'dedicated', value: 'payments', effect: 'NoSchedule' },
      },
    ]);
  });

  it('tolerates what the DaemonSet controller tolerates for every daemon pod, and ignores PreferNoSchedule', () => {
    const gaps = placementGaps(
      t,
      [
        nodeOf('a', [
          { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
          { key: 'x', effect: 'PreferNoSchedule' },
        ]),
      ],
      new Set(['a']),
    );
    expect(gaps).toEqual([]);
  });

  it('tells excluded nodes (selector) from eligible nodes without a pod', () => {
    const gaps = placementGaps(t, [nodeOf('cpu', [], { pool: 'general' }), nodeOf('edge-2')], new Set());
    expect(gaps.map((g) => [g.node, g.kind])).toEqual([
      ['cpu', 'excluded'],
      ['edge-2', 'missing'],
    ]);
    expect(gaps[0]?.why).toBe('nodeSelector pool=edge does not match (node has pool=general)');
  });
});

describe('stateLine', () => {
  it("counts a Deployment's unavailable and not-updated replicas", () => {
    expect(stateLine(deployment())).toBe('2 of 3 replicas unavailable');
    expect(
      stateLine(deployment({ replicas: { desired: 3, current: 4, ready: 3, available: 3, updated: 1 } })),
    ).toBe('3 of 3 replicas available, 1 of 3 updated');
  });

  it('describes a failed Job, an HPA and a PDB in their own terms', () => {
    expect(
      stateLine({
        kind: 'Job',
        namespace: 'n',
        name: 'j',
        conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }],
        job: { active: 0, succeeded: 0, failed: 2, backoffLimit: 6 },
      }),
    ).toBe('Job failed (DeadlineExceeded): 2 failed, 0 succeeded, 0 active pods (backoffLimit 6)');
    expect(
      stateLine({
        kind: 'HorizontalPodAutoscaler',
        namespace: 'n',
        name: 'h',
        conditions: [],
        hpa: {
          minReplicas: 2,
          maxReplicas: 8,
          currentReplicas: 8,
          desiredReplicas: 8,
          scaleTarget: { kind: 'Deployment', name: 'web' },
          metrics: [],
        },
      }),
    ).toBe('8 replicas (min 2, max 8, desired 8) of deployment/web');
    expect(
      stateLine({
        kind: 'PodDisruptionBudget',
        namespace: 'n',
        name: 'p',
        conditions: [],
        pdb: { currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3 },
      }),
    ).toBe('1 healthy of 2 required (3 expected pods), 0 disruptions allowed');
  });
});
