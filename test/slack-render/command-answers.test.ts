// Command answers as Block Kit: within Slack's limits whatever the input, escaped, always with a text fallback.
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../src/commands/parse-command.js';
import type { PlaybookItem } from '../../src/domain/playbook.js';
import type { Signature } from '../../src/domain/signature.js';
import type { SlackMessage } from '../../src/slack-render/blocks.js';
import {
  ackText,
  errorAnswer,
  helpAnswer,
  incidentAnswer,
  incidentsAnswer,
  inspectionAnswer,
  playbooksAnswer,
} from '../../src/slack-render/command-answers.js';
import { alert, context } from '../support/contexts.js';
import { incidentOf, oomFinding } from '../support/incidents.js';

type Block = { type: string; text?: { type: string; text: string }; elements?: { text: string }[] };

/** Slack's message limits, as the stand-in and Slack check them. */
function expectWithinLimits(answer: SlackMessage): void {
  expect(answer.text.length).toBeGreaterThan(0);
  expect(answer.text.length).toBeLessThanOrEqual(4000);
  expect(answer.blocks.length).toBeGreaterThan(0);
  expect(answer.blocks.length).toBeLessThanOrEqual(50);
  for (const raw of answer.blocks) {
    const block = raw as Block;
    if (block.type === 'header') {
      expect(block.text?.type).toBe('plain_text');
      expect(block.text?.text.length).toBeLessThanOrEqual(150);
    }
    if (block.type === 'section') {
      expect(block.text?.text.length).toBeGreaterThan(0);
      expect(block.text?.text.length).toBeLessThanOrEqual(3000);
    }
    if (block.type === 'context') {
      expect(block.elements?.length).toBeLessThanOrEqual(10);
      for (const e of block.elements ?? []) expect(e.text.length).toBeLessThanOrEqual(3000);
    }
  }
}

const finding = oomFinding;

const target = { kind: 'pod', namespace: 'payments', pod: 'checkout-api-7d9f8c6b5-x2x7q' } as const;

describe('command answers', () => {
  it('the immediate answer names what is being looked at', () => {
    expect(ackText('payments/checkout-api-7d9f8c6b5-x2x7q')).toBe(
      "Looking at payments/checkout-api-7d9f8c6b5-x2x7q… I'll answer here shortly.",
    );
  });

  it('help lists every command under the name it was invoked with', () => {
    const help = helpAnswer('/triage', USAGE);
    expectWithinLimits(help);
    for (const usage of [
      'pod <namespace>/<pod>',
      'node <name>',
      'incidents [status=firing|resolved]',
      'incident <id>',
      'playbooks',
    ])
      expect(help.text).toContain(`/triage ${usage}`.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(JSON.stringify(help.blocks)).toContain('/triage pod &lt;namespace&gt;/&lt;pod&gt;');
    expect(helpAnswer('/triage', USAGE, 'frobnicate').text).toMatch(/^I don't know `frobnicate`/);
  });

  it('a diagnosis has the finding, its evidence, numbered steps and the signature id', () => {
    const answer = inspectionAnswer({
      found: true,
      target,
      context: context({ target }),
      findings: [finding()],
      unavailable: [],
    });
    expectWithinLimits(answer);
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain('*Diagnosis* (high confidence): *Container OOM-killed*');
    expect(blocks).toContain('OOMKilled, exit code 137');
    expect(blocks).toContain('1. Raise the limit: `kubectl set resources deployment/checkout-api');
    expect(blocks).toContain('container-oom-killed');
    expect(answer.text).toContain('container-oom-killed');
    expect(blocks).toContain('no incident recorded, nothing posted to the channel');
  });

  it('escapes what the cluster says, so log lines cannot mention or link', () => {
    const answer = inspectionAnswer({
      found: true,
      target,
      context: context({ target }),
      findings: [finding({ evidence: [{ source: 'logs', detail: '<!channel> fetch <http://x|y> & die' }] })],
      unavailable: ['previous log: <@U123> said no'],
    });
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).not.toMatch(/<!channel>|<http|<@U123>/);
    expect(blocks).toContain('&lt;!channel&gt; fetch &lt;http://x|y&gt; &amp; die');
    expect(answer.text).not.toContain('<');
  });

  it('stays within Block Kit limits with huge evidence, remediation and unavailable lists', () => {
    const huge = finding({
      summary: 's'.repeat(5000),
      title: 't'.repeat(500),
      evidence: Array.from({ length: 300 }, (_, i) => ({
        source: 'events' as const,
        detail: `${i} ${'e'.repeat(3000)}`,
      })),
      remediation: Array.from({ length: 100 }, (_, i) => `${i} ${'r'.repeat(4000)}`),
      unchecked: Array.from({ length: 100 }, () => 'u'.repeat(100)),
      correlation: { node: 'n', affectedPods: Array.from({ length: 500 }, (_, i) => `ns/pod-${i}`) },
    });
    const answer = inspectionAnswer({
      found: true,
      target: { kind: 'pod', namespace: 'payments', pod: 'p'.repeat(253) },
      context: context({ target }),
      findings: [huge, huge, huge, huge, huge],
      unavailable: Array.from({ length: 200 }, () => 'x'.repeat(200)),
    });
    expectWithinLimits(answer);
  });

  it('says plainly when a pod or node does not exist', () => {
    const pod = inspectionAnswer({
      found: false,
      target: { kind: 'pod', namespace: 'payments', pod: 'gone-0' },
    });
    expect(pod.text).toContain('There is no pod payments/gone-0 in the cluster');
    const node = inspectionAnswer({ found: false, target: { kind: 'node', node: 'n1' } });
    expect(node.text).toContain('There is no node n1 in the cluster');
    expectWithinLimits(pod);
  });

  it('errors carry the usage line and no stack', () => {
    const error = errorAnswer('`x` is not a status.', 'incidents [status=firing|resolved]');
    expectWithinLimits(error);
    expect(JSON.stringify(error.blocks)).toContain('Usage: `/triage incidents [status=firing|resolved]`');
  });

  it('lists incidents with a count, and says "more than" when it stopped counting', () => {
    const incident = incidentOf(alert(), context({ target }), [finding()], '2026-11-23T08:24:00.000Z');
    const listed = incidentsAnswer([incident], 12, false, { namespace: 'payments' });
    expectWithinLimits(listed);
    expect(JSON.stringify(listed.blocks)).toContain(
      '*12 incidents* matching namespace=payments; the newest 1:',
    );
    expect(incidentsAnswer([incident], 500, true, {}).text).toMatch(/^more than 500 incidents/);
    expect(incidentsAnswer([], 0, false, { status: 'resolved' }).text).toBe(
      'No incidents matching status=resolved.',
    );
    const one = incidentAnswer(incident);
    expectWithinLimits(one);
    expect(JSON.stringify(one.blocks)).toContain(
      '[WARNING] KubePodCrashLooping: payments/checkout-api-7d9f8c6b5-x2x7q',
    );
  });

  it('lists a playbook of any size within 50 blocks', () => {
    const signature = { id: 'x' } as Signature;
    const items: PlaybookItem[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `custom-signature-number-${i}`,
      source: i % 3 === 0 ? 'built-in' : 'custom',
      enabled: i % 7 !== 0,
      signature,
    }));
    const answer = playbooksAnswer(items);
    expectWithinLimits(answer);
    expect(JSON.stringify(answer.blocks)).toMatch(/… and \d+ more not shown\./);
    expect(answer.text).toMatch(/^5000 signatures, 4285 enabled/);
  });
});
