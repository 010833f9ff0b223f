// The workload catalog on plain objects: each signature proves its case with workload evidence and real names,
// and none of them answers when the pods showed a cause of their own.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { Target, TriageContext } from '../../src/domain/context.js';
import { emptyContext, ok, unavailable } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import type { WorkloadSnapshot, WorkloadState } from '../../src/domain/workload/types.js';
import { alert } from '../support/contexts.js';
import { deployment, state, template } from '../support/workloads.js';

function workloadContext(s: WorkloadState, kind = s.object.kind): TriageContext {
  const target: Target = {
    kind: 'workload',
    namespace: s.object.namespace,
    workload: { kind: kind as NonNullable<Target['workload']>['kind'], name: s.object.name },
  };
  return { ...emptyContext(target, 'workload alert', '2026-11-23T08:40:00Z'), workload: ok(s) };
}

const run = (name: string, s: WorkloadState) =>
  diagnose(
    alert({ alertname: name, pod: '', container: '', namespace: s.object.namespace }),
    workloadContext(s),
    BUILT_IN_SIGNATURES,
  );

const stuck = deployment({
  replicas: { desired: 2, current: 2, ready: 2, available: 2, updated: 0 },
  revision: '8',
  conditions: [
    {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "api-5f6d8c7b9" has timed out progressing.',
    },
  ],
});

describe('rollout-stuck', () => {
  it('answers a Deployment past its progress deadline, quoting the condition', () => {
    const [top] = run('KubeDeploymentRolloutStuck', state({ object: stuck }));
    expect(top?.signatureId).toBe('rollout-stuck');
    expect(top?.confidence).toBe('medium');
    expect(top?.evidence).toContainEqual({
      source: 'workload',
      detail:
        'deployment/api Progressing=False ProgressDeadlineExceeded: ReplicaSet "api-5f6d8c7b9" has timed out progressing.',
    });
    expect(top?.remediation.join('\n')).toContain('kubectl rollout undo deployment/api -n shop');
  });

  it('answers a StatefulSet whose update revision has not reached every replica', () => {
    const sts: WorkloadSnapshot = {
      ...deployment({ kind: 'StatefulSet', name: 'db' }),
      replicas: { desired: 3, current: 3, ready: 3, available: 3, updated: 1 },
      revision: 'db-7f5d9c8b6',
      currentRevision: 'db-5c4b3a291',
    };
    const [top] = run('KubeStatefulSetUpdateNotRolledOut', state({ object: sts }));
    expect(top?.signatureId).toBe('rollout-stuck');
    expect(top?.evidence.map((e) => e.detail)).toContain(
      'statefulset/db: 1 of 3 replicas on update revision db-7f5d9c8b6, the rest still on db-5c4b3a291',
    );
  });

  it('stays silent when the pods showed their own cause, and when the workload could not be read', () => {
    expect(
      run(
        'KubeDeploymentRolloutStuck',
        state({ object: stuck, podCause: { signatureId: 'image-not-found', pods: ['api-1'] } }),
      ),
    ).toEqual([]);
    const target: Target = {
      kind: 'workload',
      namespace: 'shop',
      workload: { kind: 'Deployment', name: 'api' },
    };
    const context = {
      ...emptyContext(target, 'x', '2026-11-23T08:40:00Z'),
      workload: unavailable<WorkloadState>('HTTP 403: forbidden'),
    };
    expect(
      diagnose(alert({ alertname: 'KubeDeploymentRolloutStuck' }), context, BUILT_IN_SIGNATURES),
    ).toEqual([]);
  });
});

describe('job-failed', () => {
  const job: WorkloadSnapshot = {
    kind: 'Job',
    namespace: 'nightly',
    name: 'export-29391840',
    conditions: [
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
    ],
    job: {
      active: 0,
      succeeded: 0,
      failed: 4,
      backoffLimit: 3,
      cronJob: { name: 'export', schedule: '0 2 * * *' },
    },
  };
  const failing = [
    {
      name: 'export-29391840-5hv2k',
      problem: 'exit 1 (Error)',
      exit: 'container exporter exited 1 (Error): password authentication failed',
    },
  ];

  it("quotes the Failed condition and the pods' exits, and re-runs from the CronJob by name", () => {
    const [top] = run('KubeJobFailed', state({ object: job, failing }));
    expect(top?.signatureId).toBe('job-failed');
    expect(top?.confidence).toBe('high');
    expect(top?.summary).toContain(
      'job/export-29391840 in nightly failed: Job failed (BackoffLimitExceeded)',
    );
    expect(top?.evidence.map((e) => e.detail)).toEqual(
      expect.arrayContaining([
        'job/export-29391840 Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
        'pod export-29391840-5hv2k: container exporter exited 1 (Error): password authentication failed',
      ]),
    );
    expect(top?.remediation.join('\n')).toContain(
      'kubectl create job export-rerun -n nightly --from=cronjob/export',
    );
  });
});

describe('hpa-maxed-out', () => {
  const hpa = (current: number, cpu: number): WorkloadSnapshot => ({
    kind: 'HorizontalPodAutoscaler',
    namespace: 'recs',
    name: 'recs-api',
    conditions: [],
    hpa: {
      minReplicas: 3,
      maxReplicas: 10,
      currentReplicas: current,
      desiredReplicas: current,
      scaleTarget: { kind: 'Deployment', name: 'recs-api' },
      metrics: [{ name: 'cpu', current: `${cpu}%`, target: '70%', currentValue: cpu, targetValue: 70 }],
    },
  });

  it('answers an HPA at its maximum with CPU above target, naming its scale target and ceiling', () => {
    const [top] = run('KubeHpaMaxedOut', state({ object: hpa(10, 93) }));
    expect(top?.signatureId).toBe('hpa-maxed-out');
    expect(top?.summary).toContain('runs deployment/recs-api at its maximum of 10 replicas');
    expect(top?.evidence.map((e) => e.detail)).toContain('hpa/recs-api: cpu at 93% against a target of 70%');
    expect(top?.remediation.join('\n')).toContain('kubectl patch hpa/recs-api -n recs');
  });

  it('answers when its pods fail only as too few replicas under the load do (OOM-killed, throttled), quoting them', () => {
    for (const symptom of ['container-oom-killed', 'cpu-throttling']) {
      const s = state({ object: hpa(10, 115), podCause: { signatureId: symptom, pods: ['recs-api-1'] } });
      const [top] = run('KubeHpaMaxedOut', s);
      expect(top?.signatureId, symptom).toBe('hpa-maxed-out');
      expect(top?.evidence.map((e) => e.detail)).toContain(`pod-level cause ${symptom} in recs-api-1`);
    }
    const broken = state({
      object: hpa(10, 115),
      podCause: { signatureId: 'image-not-found', pods: ['recs-api-1'] },
    });
    expect(run('KubeHpaMaxedOut', broken).map((f) => f.signatureId)).not.toContain('hpa-maxed-out');
  });

  it('does not answer below the maximum, nor at the maximum with load under target', () => {
    expect(run('KubeHpaMaxedOut', state({ object: hpa(8, 93) })).map((f) => f.signatureId)).not.toContain(
      'hpa-maxed-out',
    );
    expect(run('KubeHpaMaxedOut', state({ object: hpa(10, 40) })).map((f) => f.signatureId)).not.toContain(
      'hpa-maxed-out',
    );
  });
});

describe('daemonset-not-scheduled', () => {
  const ds: WorkloadSnapshot = {
    kind: 'DaemonSet',
    namespace: 'edge',
    name: 'envoy-edge',
    conditions: [],
    template: template(),
    replicas: { desired: 2, current: 2, ready: 2, available: 2, updated: 2, misscheduled: 1 },
  };
  const gap = {
    node: 'edge-3',
    kind: 'misscheduled' as const,
    why: 'taint dedicated=payments:NoSchedule is not tolerated',
    taint: { key: 'dedicated', value: 'payments', effect: 'NoSchedule' },
  };

  it('names the node and the taint, and fills the toleration patch and the untaint with them', () => {
    const [top] = run('KubeDaemonSetRolloutStuck', state({ object: ds, placement: [gap] }));
    expect(top?.signatureId).toBe('daemonset-not-scheduled');
    expect(top?.summary).toContain(
      'node edge-3 runs a daemon pod it may no longer run: taint dedicated=payments:NoSchedule is not tolerated',
    );
    const steps = top?.remediation.join('\n') ?? '';
    expect(steps).toContain('"key":"dedicated","operator":"Exists","effect":"NoSchedule"');
    expect(steps).toContain('kubectl taint nodes edge-3 dedicated:NoSchedule-');
  });

  it('does not answer when every node has its pod', () => {
    expect(
      run('KubeDaemonSetRolloutStuck', state({ object: ds, placement: [] })).map((f) => f.signatureId),
    ).not.toContain('daemonset-not-scheduled');
  });
});
