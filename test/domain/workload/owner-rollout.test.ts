// A pod alert's finding gains its Deployment's rollout only when the rollout just preceded the pod's failure.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/signature.js';
import { rolloutChange } from '../../../src/domain/workload/changes.js';
import { withOwnerRollout } from '../../../src/domain/workload/owner-rollout.js';
import { revision, template, templateContainer, workloadPod } from '../../support/workloads.js';

const top: Finding = {
  signatureId: 'config-error',
  title: 'config',
  confidence: 'medium',
  summary: 'Container api exits on a configuration error.',
  evidence: [{ source: 'logs', detail: 'ERROR open /etc/api/config.yml: no such file or directory' }],
  remediation: ['Read the log.'],
};
const change = rolloutChange([
  revision(17, 'aaaaa', '2026-11-19T10:00:00Z'),
  revision(
    18,
    'bbbbb',
    '2026-11-23T08:12:00Z',
    template({ containers: [templateContainer({ args: ['--config', '/etc/api/config.yml'] })] }),
  ),
]);
if (!change) throw new Error('no change');
const crashed = (owner: string, finishedAt: string) =>
  workloadPod(
    `${owner}-k7j2p`,
    {
      ready: false,
      restartCount: 1,
      waiting: { reason: 'CrashLoopBackOff' },
      lastTerminated: { exitCode: 1, reason: 'Error', finishedAt },
    },
    { ownerKind: 'ReplicaSet', ownerName: owner, createdAt: '2026-11-23T08:12:01Z' },
  ).pod;

describe('withOwnerRollout', () => {
  it('adds the rollout, what it changed, and the rollback to the previous revision', () => {
    const out = withOwnerRollout(top, crashed('api-bbbbb', '2026-11-23T08:12:30Z'), 'api', change);
    expect(out.summary).toBe(
      'Container api exits on a configuration error. Began with the rollout to revision 18: command `(image default)` → `--config /etc/api/config.yml` (api).',
    );
    expect(out.evidence.at(-1)).toEqual({
      source: 'workload',
      detail:
        'deployment/api: began with the rollout to revision 18: command `(image default)` → `--config /etc/api/config.yml` (api)',
    });
    expect(out.remediation[0]).toContain('kubectl rollout undo deployment/api -n shop --to-revision=17');
  });

  it('leaves the finding alone for a pod of an older revision, or a rollout long before the failure', () => {
    expect(withOwnerRollout(top, crashed('api-aaaaa', '2026-11-23T08:12:30Z'), 'api', change)).toBe(top);
    expect(withOwnerRollout(top, crashed('api-bbbbb', '2026-11-23T11:00:00Z'), 'api', change)).toBe(top);
  });
});
