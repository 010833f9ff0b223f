// Label selectors as query text, and which of a workload's pods are failing, how, and which are diagnosed first.
import { describe, expect, it } from 'vitest';
import { describeFailures, failingPods, podProblem } from '../../../src/domain/workload/pod-problems.js';
import { selectorText, selects } from '../../../src/domain/workload/selector.js';
import { OOM, workloadPod } from '../../support/workloads.js';

describe('selectorText', () => {
  it('writes matchLabels and every set-based operator in the API query syntax', () => {
    expect(
      selectorText({
        matchLabels: { tier: 'web', app: 'api' },
        matchExpressions: [
          { key: 'track', operator: 'In', values: ['stable', 'canary'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=api,tier=web,track in (canary,stable),env notin (dev),team,!legacy');
  });

  it('refuses an operator the API does not know, and an In without values', () => {
    expect(selectorText({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toBeUndefined();
    expect(selectorText({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toBeUndefined();
  });

  it('an empty selector selects everything, as a PodDisruptionBudget reads it', () => {
    expect(selectorText({})).toBe('');
    expect(selects({}, { any: 'thing' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, { a: 'x' })).toBe(
      false,
    );
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, {})).toBe(true);
  });
});

describe('pod problems', () => {
  it('names an OOM kill with the limit it hit, and a healthy pod as not failing', () => {
    expect(podProblem(workloadPod('a', OOM).pod)).toEqual({ severity: 5, label: 'OOMKilled at 512Mi' });
    expect(podProblem(workloadPod('b', {}).pod).severity).toBe(0);
  });

  it('ranks crash loops before waits before not-ready, the newest revision first within a rank', () => {
    const pods = [
      workloadPod('ready', {}),
      workloadPod('not-ready', { ready: false }, { conditions: [{ type: 'Ready', status: 'False' }] }),
      workloadPod('pull', { ready: false, waiting: { reason: 'ImagePullBackOff' } }),
      workloadPod('oom-old', OOM, {}, 'old'),
      workloadPod('oom-new', { ...OOM, restartCount: 1 }, {}, 'new'),
    ];
    expect(failingPods(pods, 'new').map((p) => p.pod.name)).toEqual([
      'oom-new',
      'oom-old',
      'pull',
      'not-ready',
    ]);
  });

  it('says how the failing pods fail in one phrase', () => {
    expect(describeFailures(['OOMKilled at 512Mi', 'OOMKilled at 512Mi'])).toBe('both OOMKilled at 512Mi');
    expect(describeFailures(['ImagePullBackOff', 'ImagePullBackOff', 'ImagePullBackOff'])).toBe(
      'all 3 ImagePullBackOff',
    );
    expect(describeFailures(['Pending (Unschedulable)', 'OOMKilled at 1Gi', 'OOMKilled at 1Gi'])).toBe(
      '2 OOMKilled at 1Gi, 1 Pending (Unschedulable)',
    );
  });
});
