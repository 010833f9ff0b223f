// Block Kit primitives for command answers, each held within Slack's limits (50 blocks, 3,000 per section).
import { escapeMrkdwn, truncate } from '../adapters/slack/message.js';
import type { Finding } from '../domain/signature.js';
import type { CommandAnswer } from './response-url.js';

export type Block = Record<string, unknown>;

export const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;
const MAX_BLOCKS = 50;
/** Well below Slack's 40,000: the fallback text is for notifications and screen readers. */
const TEXT_LIMIT = 3900;

export { escapeMrkdwn };

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SECTION_LIMIT) } };
}

export function header(plain: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(plain, HEADER_LIMIT), emoji: true } };
}

export function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, SECTION_LIMIT) }] };
}

/** Inline code of user-supplied text: escaped, and without backticks that would end it early. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}

/**
 * Packs lines (already mrkdwn) into as few sections as fit, at most `maxSections`; lines that do not fit are
 * counted in a closing note rather than dropped silently.
 */
export function lineSections(title: string, lines: readonly string[], maxSections = 40): Block[] {
  const texts: string[] = [];
  let current = title;
  let shown = 0;
  for (const raw of lines) {
    const line = truncate(raw, SECTION_LIMIT - title.length - 2);
    if (current.length + 1 + line.length > SECTION_LIMIT) {
      if (texts.length + 1 >= maxSections) break;
      texts.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
    shown += 1;
  }
  if (current !== '') texts.push(current);
  const blocks = texts.map(section);
  if (shown < lines.length) blocks.push(context(`… and ${lines.length - shown} more not shown.`));
  return blocks;
}

/** Diagnosis, evidence and numbered remediation of one finding: the same reading order as the channel message. */
export function findingBlocks(finding: Finding, others: readonly Finding[]): Block[] {
  const blocks: Block[] = [
    section(
      `*Diagnosis* (${finding.confidence} confidence): *${escapeMrkdwn(finding.title)}*\n${escapeMrkdwn(finding.summary)}`,
    ),
  ];
  if (finding.evidence.length > 0)
    blocks.push(
      ...lineSections(
        '*Evidence*',
        finding.evidence.map((e) => `• _${e.source}_: ${escapeMrkdwn(e.detail)}`),
        3,
      ),
    );
  if (finding.correlation) {
    const pods = finding.correlation.affectedPods;
    blocks.push(
      section(
        `*Common factor*: node ${code(finding.correlation.node)}; ${pods.length} other pod(s) there fail too: ${pods
          .slice(0, 15)
          .map(escapeMrkdwn)
          .join(', ')}${pods.length > 15 ? ', …' : ''}`,
      ),
    );
  }
  if (finding.unchecked && finding.unchecked.length > 0)
    blocks.push(
      section(`*Could not check*\n${finding.unchecked.map((u) => `• ${escapeMrkdwn(u)}`).join('\n')}`),
    );
  if (finding.remediation.length > 0)
    blocks.push(
      ...lineSections(
        '*What to do*',
        finding.remediation.map((step, i) => `${i + 1}. ${escapeMrkdwn(step)}`),
        5,
      ),
    );
  blocks.push(context(`signature ${code(finding.signatureId)}`));
  if (others.length > 0)
    blocks.push(
      section(
        `*Also matched*\n${others
          .slice(0, 3)
          .map((f) => `• ${escapeMrkdwn(f.title)} (${f.confidence}, ${code(f.signatureId)})`)
          .join('\n')}`,
      ),
    );
  return blocks;
}

/** One finding as plain text: the fallback for notifications and screen readers. */
export function findingText(finding: Finding): string {
  const steps = finding.remediation.map((s, i) => `${i + 1}. ${s}`).join('\n');
  return `${finding.title} (${finding.confidence} confidence, ${finding.signatureId})${steps ? `\n${steps}` : ''}`;
}

/** `text` is plain: it is escaped here, since Slack parses &, < and > in it too. */
export function answer(text: string, blocks: readonly Block[]): CommandAnswer {
  const kept =
    blocks.length <= MAX_BLOCKS ? blocks : [...blocks.slice(0, MAX_BLOCKS - 1), context('… (truncated)')];
  return { text: truncate(escapeMrkdwn(text), TEXT_LIMIT), blocks: kept };
}
