// What changed between revisions, when the failures began against the rollout, and when a rollback fits.
import { describe, expect, it } from 'vitest';
import {
  imageChange,
  rollbackFits,
  rolloutChange,
  timingLine,
} from '../../../src/domain/workload/changes.js';
import { OOM, revision, template, templateContainer, workloadPod } from '../../support/workloads.js';

const ROLLOUT = '2026-11-23T08:10:00Z';
const previous = revision(41, 'aaaaa', '2026-11-01T10:00:00Z');
const current = revision(
  42,
  'bbbbb',
  ROLLOUT,
  template({
    containers: [
      templateContainer({
        image: 'shop/api:1.4.3',
        env: ['LOG_LEVEL=debug', 'DB_PASSWORD from secret/db.password', 'FEATURE_X=on'],
        resources: ['limits.memory=256Mi', 'requests.cpu=250m'],
      }),
    ],
    volumes: ['configMap/api-config-v2'],
  }),
);

describe('rolloutChange', () => {
  it('lists image, env, resources and volume changes of the newest revision against the previous one', () => {
    const change = rolloutChange([previous, current]);
    expect(change?.current.revision).toBe(42);
    expect(change?.previous.revision).toBe(41);
    expect(change?.changes).toEqual([
      'image shop/api:1.4.2 → 1.4.3 (api)',
      'env LOG_LEVEL info → debug, +FEATURE_X=on (api)',
      'resources limits.memory 512Mi → 256Mi (api)',
      'volumes +configMap/api-config-v2, -configMap/api-config',
    ]);
  });

  it('needs two revisions; order of the input does not matter', () => {
    expect(rolloutChange([current])).toBeUndefined();
    expect(rolloutChange([current, previous])?.current.revision).toBe(42);
  });

  it('writes a changed registry or repository in full', () => {
    expect(imageChange('shop/api:1.4.2', 'other/api:1.4.2')).toBe('shop/api:1.4.2 → other/api:1.4.2');
    expect(imageChange('localhost:5000/api:1', 'localhost:5000/api:2')).toBe('localhost:5000/api:1 → 2');
  });
});

describe('timing and rollback', () => {
  const change = rolloutChange([previous, current]);
  if (!change) throw new Error('no change');
  const failingAt = (finishedAt: string, hash = 'bbbbb', restartCount = 1) =>
    workloadPod(
      'api-bbbbb-x',
      { ...OOM, restartCount, lastTerminated: { exitCode: 137, reason: 'OOMKilled', finishedAt } },
      { createdAt: ROLLOUT },
      hash,
    );

  it('says the failures began minutes after the rollout, with what it changed, and offers the rollback', () => {
    const p = failingAt('2026-11-23T08:17:00Z');
    expect(timingLine(change, [p.pod])).toBe(
      'began 7 minutes after rollout to revision 42: image shop/api:1.4.2 → 1.4.3 (api); env LOG_LEVEL info → debug, +FEATURE_X=on (api); resources limits.memory 512Mi → 256Mi (api); volumes +configMap/api-config-v2, -configMap/api-config',
    );
    expect(rollbackFits(change, [p])).toBe(true);
  });

  it('with several restarts only the latest termination is recorded: an upper bound, said as one', () => {
    const p = failingAt('2026-11-23T08:17:00Z', 'bbbbb', 6);
    expect(timingLine(change, [p.pod])).toMatch(
      /^began within 7 minutes of the rollout to revision 42: image/,
    );
    expect(rollbackFits(change, [p])).toBe(true);
  });

  it('a pod that never ran failed from its creation', () => {
    const p = workloadPod(
      'api-bbbbb-y',
      { ready: false, waiting: { reason: 'ImagePullBackOff' } },
      { createdAt: '2026-11-23T08:10:20Z' },
      'bbbbb',
    );
    expect(timingLine(change, [p.pod])).toMatch(/^began with the rollout to revision 42: image/);
  });

  it('does not blame a rollout days before the failures, nor offer to undo it', () => {
    const p = failingAt('2026-11-26T08:10:00Z');
    expect(timingLine(change, [p.pod])).toMatch(
      /^the last rollout, to revision 42, was 3 days before the first failure: image/,
    );
    expect(rollbackFits(change, [p])).toBe(false);
  });

  it('does not offer a rollback when pods of the previous revision fail too', () => {
    expect(
      rollbackFits(change, [failingAt('2026-11-23T08:17:00Z'), failingAt('2026-11-23T08:17:00Z', 'aaaaa')]),
    ).toBe(false);
  });

  it('says so when the failures began before the rollout', () => {
    const p = workloadPod(
      'api-aaaaa-y',
      { ...OOM, lastTerminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-11-23T07:40:00Z' } },
      {},
      'aaaaa',
    );
    expect(timingLine(change, [p.pod])).toBe(
      'began 30 minutes before the rollout to revision 42, so the rollout did not start it',
    );
  });
});
