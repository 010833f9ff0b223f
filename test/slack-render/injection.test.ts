// Whoever writes a PrometheusRule controls labels and annotations: nothing of theirs becomes a mention or a link.
import { describe, expect, it } from 'vitest';
import { emptyContext } from '../../src/domain/context.js';
import { summarizeStorm } from '../../src/domain/storm.js';
import { incidentMessage } from '../../src/slack-render/incident-message.js';
import { stormSummaryMessage } from '../../src/slack-render/storm-message.js';
import { slackLink } from '../../src/slack-render/text.js';
import { alert } from '../support/contexts.js';
import { incidentOf } from '../support/incidents.js';

const HOSTILE = '<!channel> <@U0ADMIN> <https://evil.example/sso|Re-authenticate here>';

function hostileIncident(annotations: Record<string, string>, generatorURL = 'http://prometheus:9090/graph') {
  const a = {
    ...alert({ alertname: `Boom ${HOSTILE}`, severity: 'critical' }),
    annotations,
    generatorURL,
  };
  return incidentOf(
    a,
    emptyContext({ kind: 'cluster' }, 'x', '2026-11-23T08:45:00Z'),
    [],
    '2026-11-23T08:45:00Z',
  );
}

/** Every mrkdwn text of a message: blocks and the fallback. */
function mrkdwnTexts(message: { text: string; blocks: readonly Record<string, unknown>[] }): string[] {
  const out = [message.text];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const node = value as Record<string, unknown>;
      if (node.type === 'mrkdwn' && typeof node.text === 'string') out.push(node.text);
      Object.values(node).forEach(walk);
    }
  };
  walk(message.blocks);
  return out;
}

describe('Slack text from alert content', () => {
  it('escapes mentions and links in labels, annotations and the fallback text', () => {
    const message = incidentMessage(hostileIncident({ summary: HOSTILE, description: HOSTILE }));
    for (const text of mrkdwnTexts(message)) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@U0ADMIN>');
      expect(text).not.toContain('<https://evil.example');
    }
    expect(message.text).toContain('&lt;!channel&gt;');
  });

  it('links a runbook only when it is an http(s) URL, and cannot be given a label of the rule author', () => {
    const forged = incidentMessage(
      hostileIncident({ runbook_url: 'https://evil.example/sso|Re-authenticate here' }),
    );
    const context = mrkdwnTexts(forged).join('\n');
    expect(context).toContain('<https://evil.example/sso%7CRe-authenticate%20here|runbook>');
    expect(context).not.toContain('|Re-authenticate here>');

    const script = incidentMessage(hostileIncident({ runbook_url: 'javascript:alert(1)' }, 'slack://open'));
    expect(mrkdwnTexts(script).join('\n')).not.toMatch(/<javascript:|<slack:/);
  });

  it('builds links with the characters that end one encoded', () => {
    expect(slackLink('https://example.com/a?x=<b>&y=1', 'runbook')).toBe(
      '<https://example.com/a?x=%3Cb%3E&amp;y=1|runbook>',
    );
    expect(slackLink('ftp://example.com/x', 'runbook')).toBeUndefined();
    expect(slackLink('not a url', 'runbook')).toBeUndefined();
  });

  it('escapes the storm summary fallback, which carries titles and the group label', () => {
    const summary = summarizeStorm([
      {
        incidentId: 'i1',
        alertname: 'X',
        signatureId: null,
        title: HOSTILE,
        confidence: null,
        namespace: 'payments',
        pod: 'p',
        node: 'n',
        alreadyNotified: false,
      },
    ]);
    const message = stormSummaryMessage(summary, `team="${HOSTILE}"`);
    for (const text of mrkdwnTexts(message)) expect(text).not.toContain('<!channel>');
  });
});
