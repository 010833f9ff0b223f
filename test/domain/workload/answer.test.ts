// A workload alert's answer: the pods' proven cause leads, wrapped in the workload's state; generic findings follow.
import { describe, expect, it } from 'vitest';
import { podCauseDetail } from '../../../src/domain/facts/workload-object-facts.js';
import type { Finding } from '../../../src/domain/signature.js';
import {
  headline,
  type PodDiagnosis,
  podCause,
  workloadFindings,
} from '../../../src/domain/workload/answer.js';
import { rolloutChange } from '../../../src/domain/workload/changes.js';
import { OOM, revision, state, template, templateContainer, workloadPod } from '../../support/workloads.js';

const finding = (
  signatureId: string,
  evidence: Finding['evidence'] = [{ source: 'pod.status', detail: 'exit 137' }],
): Finding => ({
  signatureId,
  title: signatureId,
  confidence: 'high',
  summary: `${signatureId} in the pod.`,
  evidence,
  remediation: [`fix ${signatureId}`],
});

const SPECIFICITY: Record<string, number> = {
  'container-oom-killed': 80,
  'app-error-exit': 20,
  'rollout-stuck': 30,
};
const specificityOf = (id: string) => SPECIFICITY[id] ?? 0;

const p1 = workloadPod('api-bbbbb-1', OOM, { createdAt: '2026-11-23T08:10:00Z' }, 'bbbbb');
const p2 = workloadPod('api-bbbbb-2', OOM, { createdAt: '2026-11-23T08:10:00Z' }, 'bbbbb');
const diagnosed = (f: Finding[], p = p1): PodDiagnosis => ({ pod: p, findings: f });

describe('podCause', () => {
  it('takes a specific top finding and names every diagnosed pod that showed it', () => {
    const cause = podCause(
      [diagnosed([finding('container-oom-killed')]), diagnosed([finding('container-oom-killed')], p2)],
      specificityOf,
    );
    expect(cause?.finding.signatureId).toBe('container-oom-killed');
    expect(cause?.pods).toEqual(['api-bbbbb-1', 'api-bbbbb-2']);
  });

  it('does not take a generic exit code as the cause unless a log line proves it', () => {
    expect(podCause([diagnosed([finding('app-error-exit')])], specificityOf)).toBeUndefined();
    const withLog = finding('app-error-exit', [
      { source: 'logs', detail: 'ERROR cannot connect to db:5432' },
    ]);
    expect(podCause([diagnosed([withLog])], specificityOf)?.finding.signatureId).toBe('app-error-exit');
  });
});

describe('workloadFindings', () => {
  const failing = [
    { name: 'api-bbbbb-1', problem: 'OOMKilled at 512Mi', revisionHash: 'bbbbb' },
    { name: 'api-bbbbb-2', problem: 'OOMKilled at 512Mi', revisionHash: 'bbbbb' },
  ];
  const change = rolloutChange([
    revision(41, 'aaaaa', '2026-11-01T00:00:00Z'),
    revision(
      42,
      'bbbbb',
      '2026-11-23T08:10:00Z',
      template({
        containers: [templateContainer({ resources: ['limits.memory=256Mi', 'requests.cpu=250m'] })],
      }),
    ),
  ]);

  it('leads with the pod-level cause, in the workload state and the rollout that preceded it, with the rollback', () => {
    const s = state({ failing, ...(change ? { change } : {}) });
    const cause = podCause([diagnosed([finding('container-oom-killed')])], specificityOf);
    const [top, next] = workloadFindings({
      state: s,
      diagnoses: [diagnosed([finding('container-oom-killed')])],
      failingPods: [p1, p2],
      ownFindings: [finding('rollout-stuck')],
      cause,
    });
    expect(headline(s)).toBe('deployment/shop/api: 2 of 3 replicas unavailable: both OOMKilled at 512Mi');
    expect(top?.signatureId).toBe('container-oom-killed');
    expect(top?.summary).toBe(
      'deployment/shop/api: 2 of 3 replicas unavailable: both OOMKilled at 512Mi. Began within 7 minutes of the rollout to revision 42: resources limits.memory 512Mi → 256Mi (api). container-oom-killed in the pod.',
    );
    expect(top?.evidence.map((e) => e.source)).toEqual(['pod.status', 'workload', 'workload', 'workload']);
    expect(top?.remediation[0]).toContain('kubectl rollout undo deployment/api -n shop --to-revision=41');
    expect(next?.signatureId).toBe('rollout-stuck');
  });

  it('puts a workload signature before generic pod findings when no pod-level cause is proven', () => {
    const out = workloadFindings({
      state: state({ failing }),
      diagnoses: [diagnosed([finding('app-error-exit')])],
      failingPods: [p1],
      ownFindings: [finding('rollout-stuck')],
      cause: undefined,
    });
    expect(out.map((f) => f.signatureId)).toEqual(['rollout-stuck', 'app-error-exit']);
    expect(
      out[0]?.evidence.some(
        (e) => e.source === 'workload' && e.detail.startsWith('deployment/shop/api: 2 of 3'),
      ),
    ).toBe(true);
  });

  it("follows a workload signature's summary with what the new revision changed when no pod fails", () => {
    const [top] = workloadFindings({
      state: state({ ...(change ? { change } : {}) }),
      diagnoses: [],
      failingPods: [],
      ownFindings: [finding('rollout-stuck')],
      cause: undefined,
    });
    expect(top?.summary).toBe(
      'rollout-stuck in the pod. What changed in revision 42 (from 41): resources limits.memory 512Mi → 256Mi (api).',
    );
    expect(top?.remediation[0]).toBe('fix rollout-stuck');
  });

  it('reports one finding per signature however many pods showed it', () => {
    const out = workloadFindings({
      state: state({ failing }),
      diagnoses: [
        diagnosed([finding('container-oom-killed')]),
        diagnosed([finding('container-oom-killed')], p2),
      ],
      failingPods: [p1, p2],
      ownFindings: [],
      cause: podCause(
        [diagnosed([finding('container-oom-killed')]), diagnosed([finding('container-oom-killed')], p2)],
        specificityOf,
      ),
    });
    expect(out.map((f) => f.signatureId)).toEqual(['container-oom-killed']);
    expect(out[0]?.evidence.at(-1)?.detail).toBe(
      'container-oom-killed in 2 of 2 diagnosed pods: api-bbbbb-1, api-bbbbb-2',
    );
  });

  it('lets a workload finding that explains the pod-level cause lead it (an HPA at max whose pods are OOM-killed)', () => {
    const cause = podCause([diagnosed([finding('container-oom-killed')])], specificityOf);
    const explains = finding('hpa-maxed-out', [
      { source: 'workload', detail: podCauseDetail('container-oom-killed', ['api-bbbbb-1']) },
    ]);
    const out = workloadFindings({
      state: state({ failing }),
      diagnoses: [diagnosed([finding('container-oom-killed')])],
      failingPods: [p1],
      ownFindings: [finding('rollout-stuck'), explains],
      cause,
    });
    expect(out.map((f) => f.signatureId)).toEqual(['hpa-maxed-out', 'container-oom-killed', 'rollout-stuck']);
  });
});
