// A workload incident with no diagnosis still says what was seen: the workload's state and its failing pods.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../src/domain/context.js';
import { emptyContext, ok } from '../../../src/domain/context.js';
import { observedContext } from '../../../src/domain/observed.js';
import { alert } from '../../support/contexts.js';
import { deployment, state } from '../../support/workloads.js';

describe('observed context of a workload', () => {
  it('lists the state, the stuck rollout and the failing pods', () => {
    const target: Target = {
      kind: 'workload',
      namespace: 'shop',
      workload: { kind: 'Deployment', name: 'api' },
    };
    const s = state({
      object: deployment({
        replicas: { desired: 3, current: 3, ready: 1, available: 1, updated: 1 },
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      }),
      failing: [{ name: 'api-1', problem: 'not ready' }],
    });
    const context = { ...emptyContext(target, 'workload alert', '2026-11-23T08:40:00Z'), workload: ok(s) };
    expect(observedContext(alert({ alertname: 'KubeDeploymentRolloutStuck' }), context)).toEqual([
      'fired: KubeDeploymentRolloutStuck (warning) about deployment/shop/api: Pod is crash looping.',
      'checked: the workload',
      'deployment/api: 2 of 3 replicas unavailable, 1 of 3 updated',
      'deployment/api Progressing=False ProgressDeadlineExceeded',
      'deployment/api: 1 of 3 replicas are the newest template (revision 42)',
      'failing: pod api-1: not ready',
    ]);
  });
});
