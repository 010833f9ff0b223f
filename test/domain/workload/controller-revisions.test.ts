// StatefulSet and DaemonSet revisions (ControllerRevisions): which revision a pod runs, what changed, the rollback.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/signature.js';
import { workloadFindings } from '../../../src/domain/workload/answer.js';
import { rollbackFits, rolloutChange, runsRevision } from '../../../src/domain/workload/changes.js';
import type { RevisionSnapshot, WorkloadSnapshot } from '../../../src/domain/workload/types.js';
import { deployment, state, template, templateContainer, workloadPod } from '../../support/workloads.js';

const ROLLOUT = '2026-11-23T09:02:11Z';
/** A ControllerRevision as the adapter maps it: `<set>-<hash>`, its number, no replica counts. */
const controllerRevision = (n: number, hash: string, createdAt: string, image: string): RevisionSnapshot => ({
  name: `ledger-${hash}`,
  revision: n,
  createdAt,
  template: template({ containers: [templateContainer({ name: 'ledger', image })] }),
});
const revisions = [
  controllerRevision(3, '58c6d7b9f', '2026-10-12T11:40:00Z', 'shop/ledger:2.2.4'),
  controllerRevision(4, '6b7f9c8d5', '2026-11-09T14:17:30Z', 'shop/ledger:2.3.0'),
  controllerRevision(5, '7c9d8b6f4', ROLLOUT, 'shop/ledger:2.3.1'),
];
const statefulSet: WorkloadSnapshot = deployment({
  kind: 'StatefulSet',
  name: 'ledger',
  replicas: { desired: 3, current: 3, ready: 2, available: 2, updated: 1 },
  revision: 'ledger-7c9d8b6f4',
  currentRevision: 'ledger-6b7f9c8d5',
});
const pulling = { ready: false, restartCount: 0, waiting: { reason: 'ImagePullBackOff' } };
/** A StatefulSet's pod carries the revision's whole name in `controller-revision-hash`. */
const stuck = workloadPod('ledger-2', pulling, { createdAt: '2026-11-23T09:02:13Z' }, 'ledger-7c9d8b6f4');
const finding: Finding = {
  signatureId: 'image-not-found',
  title: 'image-not-found',
  confidence: 'high',
  summary: 'The tag does not exist.',
  evidence: [{ source: 'events', detail: 'not found' }],
  remediation: ['push the tag'],
};

describe('which revision a pod runs', () => {
  it("matches a StatefulSet pod's whole revision name and a DaemonSet or Deployment pod's hash", () => {
    expect(runsRevision('ledger-7c9d8b6f4', 'ledger-7c9d8b6f4')).toBe(true);
    expect(runsRevision('7c9d8b6f4', 'ledger-7c9d8b6f4')).toBe(true);
    expect(runsRevision('ledger-6b7f9c8d5', 'ledger-7c9d8b6f4')).toBe(false);
    expect(runsRevision('8b6f4', 'ledger-7c9d8b6f4')).toBe(false);
    expect(runsRevision(undefined, 'ledger-7c9d8b6f4')).toBe(false);
  });
});

describe('a StatefulSet rollout', () => {
  it('compares the revision the failing pods run with the one before it', () => {
    const change = rolloutChange(revisions, 'ledger-6b7f9c8d5');
    expect([change?.previous.revision, change?.current.revision]).toEqual([3, 4]);
    expect(change?.changes).toEqual(['image shop/ledger:2.2.4 → 2.3.0 (ledger)']);
    expect(rolloutChange(revisions, 'ledger-7c9d8b6f4')?.changes).toEqual([
      'image shop/ledger:2.3.0 → 2.3.1 (ledger)',
    ]);
    // Not recorded (or no failing pod): the newest, as for a Deployment.
    expect(rolloutChange(revisions, 'ledger-0000000')?.current.revision).toBe(5);
    expect(rolloutChange(revisions)?.current.revision).toBe(5);
  });

  it('fits a rollback when the pods failing on the whole-name label run the new revision', () => {
    const change = rolloutChange(revisions, 'ledger-7c9d8b6f4');
    if (!change) throw new Error('no change');
    expect(rollbackFits(change, [stuck])).toBe(true);
    const old = workloadPod('ledger-0', pulling, { createdAt: ROLLOUT }, 'ledger-6b7f9c8d5');
    expect(rollbackFits(change, [stuck, old])).toBe(false);
  });

  it('answers with what changed and undoes to the previous revision, then deletes the pod stuck on the bad one', () => {
    const change = rolloutChange(revisions, 'ledger-7c9d8b6f4');
    const s = state({
      object: statefulSet,
      revisions,
      failing: [{ name: 'ledger-2', problem: 'ImagePullBackOff', revisionHash: 'ledger-7c9d8b6f4' }],
      ...(change ? { change } : {}),
    });
    const [top] = workloadFindings({
      state: s,
      diagnoses: [{ pod: stuck, findings: [finding] }],
      failingPods: [stuck],
      ownFindings: [],
      cause: { finding, pods: ['ledger-2'] },
    });
    expect(top?.summary).toContain(
      'Began with the rollout to revision 5: image shop/ledger:2.3.0 → 2.3.1 (ledger).',
    );
    expect(top?.remediation[0]).toBe(
      'The failures began after the rollout and only the new revision fails: roll back to revision 4 while you fix it: `kubectl rollout undo statefulset/ledger -n shop --to-revision=4`, then delete the pods already on the bad revision, which the StatefulSet will not replace by itself: `kubectl delete pod ledger-2 -n shop`.',
    );
  });
});

describe('a DaemonSet rollout', () => {
  it('undoes a DaemonSet the same way, its pods matched by hash', () => {
    const ds = (n: number, hash: string, createdAt: string, image: string): RevisionSnapshot => ({
      ...controllerRevision(n, hash, createdAt, image),
      name: `shipper-${hash}`,
    });
    const change = rolloutChange(
      [ds(8, '5d8f7b6c9', '2026-11-02T08:29:50Z', 'fb:3.1.9'), ds(9, '79c4b8d6f5', ROLLOUT, 'fb:3.2.2')],
      '79c4b8d6f5',
    );
    const pod = workloadPod('shipper-x7k2p', pulling, { createdAt: '2026-11-23T09:02:20Z' }, '79c4b8d6f5');
    const [top] = workloadFindings({
      state: state({
        object: deployment({ kind: 'DaemonSet', name: 'shipper' }),
        failing: [{ name: 'shipper-x7k2p', problem: 'ImagePullBackOff', revisionHash: '79c4b8d6f5' }],
        ...(change ? { change } : {}),
      }),
      diagnoses: [{ pod, findings: [finding] }],
      failingPods: [pod],
      ownFindings: [],
      cause: { finding, pods: ['shipper-x7k2p'] },
    });
    expect(top?.remediation[0]).toBe(
      'The failures began after the rollout and only the new revision fails: roll back to revision 8 while you fix it: `kubectl rollout undo daemonset/shipper -n shop --to-revision=8`.',
    );
  });
});

describe('revisions that could not be read', () => {
  it('names them unread in the evidence and offers no rollback', () => {
    const [top] = workloadFindings({
      state: state({
        object: statefulSet,
        failing: [{ name: 'ledger-2', problem: 'ImagePullBackOff' }],
        revisionsUnread: 'list controllerrevisions in shop: HTTP 403 forbidden',
      }),
      diagnoses: [{ pod: stuck, findings: [finding] }],
      failingPods: [stuck],
      ownFindings: [],
      cause: { finding, pods: ['ledger-2'] },
    });
    expect(top?.signatureId).toBe('image-not-found');
    expect(top?.evidence.map((e) => e.detail)).toContain(
      'revisions unread, so what the last rollout changed is unknown: list controllerrevisions in shop: HTTP 403 forbidden',
    );
    expect(top?.remediation).toEqual(['push the tag']);
  });
});
