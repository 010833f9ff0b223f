// Renders an incident as a Slack Block Kit message plus its plain-text fallback, within Block Kit limits.
import type { Incident } from '../../domain/incident.js';
import type { Finding } from '../../domain/signature.js';
import { describeCommand, subjectTitle } from '../../domain/subject.js';
import { actionBlocks } from './action-blocks.js';

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;
const MAX_BLOCKS = 50;
const TRUNCATED = '… (truncated)';

/** mrkdwn treats &, < and > as control characters; user-supplied text must be escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A link for mrkdwn: only http(s) URLs become links (a `javascript:` or `slack://` one is shown as text), with
 * the characters that end a link or its label encoded, and the label escaped.
 */
export function slackLink(url: string, label: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const href = parsed.href
    .replaceAll('|', '%7C')
    .replaceAll('<', '%3C')
    .replaceAll('>', '%3E')
    .replaceAll('&', '&amp;');
  return `<${href}|${escapeMrkdwn(label)}>`;
}

export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - TRUNCATED.length)}${TRUNCATED}`;
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_LIMIT) } };
}

/** Backticks inside inline code would end it early. */
function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}

export function targetLabel(incident: Incident): string {
  return subjectTitle(incident.target);
}

const SEVERITY_ICON: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

function headerText(incident: Incident): string {
  const state = incident.status === 'resolved' ? 'RESOLVED' : incident.severity.toUpperCase();
  return truncate(`[${state}] ${incident.alertname}: ${targetLabel(incident)}`, HEADER_LIMIT);
}

/** Inline code spans in remediation are kept; everything else escaped. */
function renderStep(step: string): string {
  return step
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? code(part.slice(1, -1))
        : escapeMrkdwn(part),
    )
    .join('');
}

function findingBlocks(finding: Finding, incident: Incident): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [
    section(
      `*Diagnosis* (${finding.confidence} confidence): *${escapeMrkdwn(finding.title)}*\n${escapeMrkdwn(finding.summary)}${
        finding.shownAs && finding.shownAs.length > 0
          ? `\n_How it showed_: ${finding.shownAs.map((m) => escapeMrkdwn(m)).join('; ')}`
          : ''
      }`,
    ),
  ];
  if (finding.evidence.length > 0) {
    const lines = finding.evidence.map((e) => `• _${e.source}_: ${escapeMrkdwn(e.detail)}`);
    blocks.push(section(`*Evidence*\n${lines.join('\n')}`));
  }
  if (finding.correlation) {
    const pods = finding.correlation.affectedPods;
    blocks.push(
      section(
        `*Common factor*: node \`${escapeMrkdwn(finding.correlation.node)}\`; ${pods.length} other pod(s) there fail too: ${pods
          .slice(0, 15)
          .map((p) => escapeMrkdwn(p))
          .join(', ')}${pods.length > 15 ? ', …' : ''}`,
      ),
    );
  }
  if (finding.recurrence) {
    blocks.push(
      section(
        `*Seen before*: ${finding.recurrence.count} earlier incident(s) of this signature on this workload, the last at ${finding.recurrence.lastAt}.`,
      ),
    );
  }
  if (finding.unchecked && finding.unchecked.length > 0) {
    blocks.push(
      section(`*Could not check*\n${finding.unchecked.map((u) => `• ${escapeMrkdwn(u)}`).join('\n')}`),
    );
  }
  if (finding.remediation.length > 0) {
    const steps = finding.remediation.map((s, i) => `${i + 1}. ${renderStep(s)}`);
    blocks.push(section(`*What to do*\n${steps.join('\n')}`));
  }
  const others = incident.findings.slice(1, 4);
  if (others.length > 0) {
    blocks.push(
      section(
        `*Also matched*\n${others.map((f) => `• ${escapeMrkdwn(f.title)} (${f.confidence})`).join('\n')}`,
      ),
    );
  }
  return blocks;
}

function contextLine(incident: Incident): Record<string, unknown> {
  const parts = [
    incident.target.namespace ? `namespace ${code(incident.target.namespace)}` : undefined,
    incident.target.node ? `node ${code(incident.target.node)}` : undefined,
    incident.findings[0] ? `signature ${code(incident.findings[0].signatureId)}` : undefined,
    `incident ${code(incident.id)}`,
    incident.annotations.runbook_url ? slackLink(incident.annotations.runbook_url, 'runbook') : undefined,
    slackLink(incident.generatorURL, 'source'),
  ].filter((p): p is string => p !== undefined);
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncate(parts.join(' · '), SECTION_LIMIT) }],
  };
}

/** `note` is a line above the diagnosis, e.g. why this went into an existing thread. */
export function incidentMessage(incident: Incident, note?: string): SlackMessage {
  const top = incident.findings[0];
  const icon =
    incident.status === 'resolved' ? ':white_check_mark:' : (SEVERITY_ICON[incident.severity] ?? ':warning:');
  const header = truncate(`${icon} ${headerText(incident)}`, HEADER_LIMIT);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: header, emoji: true } },
  ];
  if (note)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(note), SECTION_LIMIT) }],
    });
  const description = incident.annotations.description ?? incident.annotations.summary;
  if (description)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(description), SECTION_LIMIT) }],
    });
  if (top) {
    blocks.push(...findingBlocks(top, incident));
  } else {
    const describe = describeCommand(incident.target);
    blocks.push(
      section(
        `*Diagnosis*: no known signature matched the gathered evidence. Start from what was observed${
          describe ? `, and ${code(describe)}` : ''
        }${incident.annotations.runbook_url ? ', and the runbook (below)' : ''}.`,
      ),
    );
    if (incident.observed && incident.observed.length > 0)
      blocks.push(
        section(
          `*What was observed*\n${incident.observed.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')}`,
        ),
      );
  }
  if (incident.unavailable.length > 0) {
    blocks.push(
      section(
        `*Context not available*\n${incident.unavailable.map((u) => `• ${escapeMrkdwn(u)}`).join('\n')}`,
      ),
    );
  }
  blocks.push(contextLine(incident));
  // The buttons and what was done with them always survive the block limit.
  const actions = actionBlocks(incident);

  const headline = top ? `${top.title} (${top.confidence})` : 'no known signature matched';
  const steps = top?.remediation.map((s, i) => `${i + 1}. ${s}`).join('\n') ?? '';
  // The fallback text is mrkdwn too (notifications, clients without blocks): escaped like every block.
  const text = truncate(
    escapeMrkdwn(`${headerText(incident)}: ${headline}${steps ? `\n${steps}` : ''}`),
    3900,
  );
  return { text, blocks: [...blocks.slice(0, MAX_BLOCKS - actions.length), ...actions] };
}

export function resolvedReply(incident: Incident): string {
  const ended = incident.endsAt ?? incident.updatedAt;
  const minutes = Math.max(0, Math.round((Date.parse(ended) - Date.parse(incident.startsAt)) / 60_000));
  return `Resolved at ${ended} after ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
