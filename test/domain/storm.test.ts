// Storm summaries: grouped by diagnosis, largest first, capped so the thread stays within Slack's budget.
import { describe, expect, it } from 'vitest';
import { type StormMember, summarizeStorm } from '../../src/domain/storm.js';

const member = (
  i: number,
  signatureId: string | null,
  node = 'n1',
  alreadyNotified = false,
): StormMember => ({
  incidentId: `i${i}`,
  alertname: 'KubePodCrashLooping',
  signatureId,
  title: signatureId,
  confidence: 'high',
  namespace: i % 2 ? 'shop' : 'payments',
  pod: `p${i}`,
  node,
  alreadyNotified,
});

describe('summarizeStorm', () => {
  it('counts by diagnosis, node and namespace, leaving out what was reported before', () => {
    const members = [
      ...Array.from({ length: 5 }, (_, i) => member(i, 'conntrack-table-full')),
      member(10, 'container-oom-killed', 'n2'),
      member(11, null, 'n2', true),
    ];
    const summary = summarizeStorm(members);
    expect(summary).toMatchObject({ total: 7, fresh: 6 });
    expect(summary.groups.map((g) => [g.signatureId, g.members.length])).toEqual([
      ['conntrack-table-full', 5],
      ['container-oom-killed', 1],
    ]);
    expect(summary.nodes).toEqual([
      ['n1', 5],
      ['n2', 1],
    ]);
  });

  it('folds the long tail into one group so a storm is at most nine thread replies', () => {
    const members = Array.from({ length: 30 }, (_, i) => member(i, `sig-${i}`));
    const summary = summarizeStorm(members);
    expect(summary.groups).toHaveLength(9);
    expect(summary.groups.at(-1)).toMatchObject({ title: 'Other diagnoses' });
    expect(summary.groups.at(-1)?.members).toHaveLength(22);
  });
});
