// One finding as blocks and as plain text: the same reading order in the channel message and in every command answer.
import type { Finding } from '../domain/signature.js';
import { type Block, lineSections, section } from './blocks.js';
import { code, escapeMrkdwn, withCodeSpans } from './text.js';

/** Pods named in a common-factor line; the rest are counted. */
const MAX_PODS = 15;
/** Findings named under "Also matched"; the rest are counted. */
const MAX_OTHERS = 3;

/**
 * Diagnosis (and how it showed), evidence, common factor, recurrence, what could not be checked, numbered
 * remediation, and the other findings that matched. `others` are the findings after this one, best first.
 */
export function findingBlocks(finding: Finding, others: readonly Finding[]): Block[] {
  const shownAs =
    finding.shownAs && finding.shownAs.length > 0
      ? `\n_How it showed_: ${finding.shownAs.map(escapeMrkdwn).join('; ')}`
      : '';
  const blocks: Block[] = [
    section(
      `*Diagnosis* (${finding.confidence} confidence): *${escapeMrkdwn(finding.title)}*\n${escapeMrkdwn(finding.summary)}${shownAs}`,
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
          .slice(0, MAX_PODS)
          .map(escapeMrkdwn)
          .join(', ')}${pods.length > MAX_PODS ? ', …' : ''}`,
      ),
    );
  }
  if (finding.recurrence)
    blocks.push(
      section(
        `*Seen before*: ${finding.recurrence.count} earlier incident(s) of this signature on this workload, the last at ${escapeMrkdwn(finding.recurrence.lastAt)}.`,
      ),
    );
  if (finding.unchecked && finding.unchecked.length > 0)
    blocks.push(
      ...lineSections(
        '*Could not check*',
        finding.unchecked.map((u) => `• ${escapeMrkdwn(u)}`),
        1,
      ),
    );
  if (finding.remediation.length > 0)
    blocks.push(
      ...lineSections(
        '*What to do*',
        finding.remediation.map((step, i) => `${i + 1}. ${withCodeSpans(step)}`),
        5,
      ),
    );
  if (others.length > 0) blocks.push(alsoMatched(others));
  return blocks;
}

function alsoMatched(others: readonly Finding[]): Block {
  const lines = others
    .slice(0, MAX_OTHERS)
    .map((f) => `• ${escapeMrkdwn(f.title)} (${f.confidence}, ${code(f.signatureId)})`);
  if (others.length > MAX_OTHERS) lines.push(`• … and ${others.length - MAX_OTHERS} more`);
  return section(`*Also matched*\n${lines.join('\n')}`);
}

/** One finding as plain text: the fallback for notifications and screen readers. */
export function findingText(finding: Finding): string {
  const steps = finding.remediation.map((s, i) => `${i + 1}. ${s}`).join('\n');
  return `${finding.title} (${finding.confidence} confidence, ${finding.signatureId})${steps ? `\n${steps}` : ''}`;
}
