// The channel message and the command answers show a finding the same way: recurrence, how it showed, the other
// findings with their ids, evidence that does not fit counted rather than cut, remediation code kept as code.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/signature.js';
import { incidentAnswer, inspectionAnswer } from '../../src/slack-render/command-answers.js';
import { findingBlocks } from '../../src/slack-render/finding.js';
import { incidentMessage } from '../../src/slack-render/incident-message.js';
import { alert, context } from '../support/contexts.js';
import { incidentOf, oomFinding } from '../support/incidents.js';

const target = { kind: 'pod', namespace: 'payments', pod: 'checkout-api-7d9f8c6b5-x2x7q' } as const;

const finding = oomFinding;

const top = finding({
  recurrence: { count: 3, lastAt: '2026-11-20T10:00:00.000Z' },
  shownAs: ['Killed by its liveness probe'],
});
const others = [
  finding({ signatureId: 'liveness-probe-failing', title: 'Liveness probe failing', confidence: 'medium' }),
  finding({ signatureId: 'node-memory-pressure', title: 'Node under memory pressure', confidence: 'low' }),
  finding({ signatureId: 'image-pull-backoff', title: 'Image pull back-off', confidence: 'low' }),
  finding({ signatureId: 'dns-failing', title: 'DNS failing', confidence: 'low' }),
];

function incident(findings: readonly Finding[]) {
  return incidentOf(alert(), context({ target }), findings, '2026-11-23T08:24:00.000Z');
}

const json = (blocks: readonly unknown[]) => JSON.stringify(blocks);

describe('one renderer for a finding', () => {
  const expected = findingBlocks(top, others);

  it('the channel message, the incident answer and the on-demand answer carry the same finding blocks', () => {
    const message = incidentMessage(incident([top, ...others]));
    const answer = incidentAnswer(incident([top, ...others]));
    const inspection = inspectionAnswer({
      found: true,
      target,
      context: context({ target }),
      findings: [top, ...others],
      unavailable: [],
    });
    for (const shown of [message, answer, inspection])
      expect(json(shown.blocks)).toContain(json(expected).slice(1, -1));
  });

  it('shows recurrence, how it showed, and the other findings with their signature ids', () => {
    const text = json(expected);
    expect(text).toContain('*Seen before*: 3 earlier incident(s) of this signature on this workload');
    expect(text).toContain('_How it showed_: Killed by its liveness probe');
    expect(text).toContain('• Liveness probe failing (medium, `liveness-probe-failing`)');
    expect(text).toContain('• … and 1 more');
    expect(text).not.toContain('dns-failing');
  });

  it('keeps remediation code spans as code and escapes what is around them', () => {
    const text = json(
      findingBlocks(finding({ remediation: ['Run `kubectl get pods -l app=<x>` then <!here>'] }), []),
    );
    expect(text).toContain('1. Run `kubectl get pods -l app=&lt;x&gt;` then &lt;!here&gt;');
  });

  it('counts the evidence that does not fit instead of cutting it short', () => {
    const many = finding({
      evidence: Array.from({ length: 40 }, (_, i) => ({
        source: 'events' as const,
        detail: `${i} ${'e'.repeat(400)}`,
      })),
    });
    const message = incidentMessage(incident([many]));
    const evidence = message.blocks.filter(
      (b) => json([b]).includes('*Evidence*') || json([b]).includes('more not shown'),
    );
    expect(json(evidence)).toMatch(/… and \d+ more not shown\./);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });
});
