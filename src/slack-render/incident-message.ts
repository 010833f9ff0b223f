// An incident as the channel's message (header, diagnosis, context line, buttons) and its resolve reply.
import type { Target } from '../domain/context.js';
import type { Incident } from '../domain/incident.js';
import { describeCommand, subjectTitle } from '../domain/subject.js';
import { actionBlocks } from './action-blocks.js';
import { type Block, context, header, lineSections, message, type SlackMessage, section } from './blocks.js';
import { findingBlocks, findingText } from './finding.js';
import { code, escapeMrkdwn, slackLink } from './text.js';

const SEVERITY_ICON: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

/** `[WARNING] KubePodCrashLooping: payments/checkout-api-… (api)`: the message header and the answer's. */
export function incidentHeadline(incident: Incident): string {
  const state = incident.status === 'resolved' ? 'RESOLVED' : incident.severity.toUpperCase();
  return `[${state}] ${incident.alertname}: ${subjectTitle(incident.target)}`;
}

/** What to say when no signature matched: where to start, and what was seen. */
export function noMatchBlocks(
  target: Target,
  observed: readonly string[] | undefined,
  runbook: boolean,
): Block[] {
  const describe = describeCommand(target);
  const blocks = [
    section(
      `*Diagnosis*: no known signature matched the gathered evidence. Start from ${
        observed && observed.length > 0 ? 'what was observed, and ' : ''
      }${describe ? code(describe) : 'its recent events'}${runbook ? ', and the runbook (below)' : ''}.`,
    ),
  ];
  if (observed && observed.length > 0)
    blocks.push(
      ...lineSections(
        '*What was observed*',
        observed.map((line) => `• ${escapeMrkdwn(line)}`),
        1,
      ),
    );
  return blocks;
}

/** The pieces of context that could not be read, with the reason. */
export function unavailableBlocks(unavailable: readonly string[]): Block[] {
  if (unavailable.length === 0) return [];
  return lineSections(
    '*Context not available*',
    unavailable.map((u) => `• ${escapeMrkdwn(u)}`),
    2,
  );
}

/** The diagnosis of an incident (or what was observed) and what could not be read: its message and its answer. */
export function diagnosisBlocks(incident: Incident, runbookBelow: boolean): Block[] {
  const [top, ...others] = incident.findings;
  return [
    ...(top ? findingBlocks(top, others) : noMatchBlocks(incident.target, incident.observed, runbookBelow)),
    ...unavailableBlocks(incident.unavailable),
  ];
}

/** The plain-text fallback: the headline and the top finding with its steps. */
export function incidentText(incident: Incident): string {
  const top = incident.findings[0];
  return `${incidentHeadline(incident)}: ${top ? findingText(top) : 'no known signature matched'}`;
}

function referenceLine(incident: Incident): Block {
  const parts = [
    incident.target.namespace ? `namespace ${code(incident.target.namespace)}` : undefined,
    incident.target.node ? `node ${code(incident.target.node)}` : undefined,
    incident.findings[0] ? `signature ${code(incident.findings[0].signatureId)}` : undefined,
    `incident ${code(incident.id)}`,
    incident.annotations.runbook_url ? slackLink(incident.annotations.runbook_url, 'runbook') : undefined,
    slackLink(incident.generatorURL, 'source'),
  ].filter((p): p is string => p !== undefined);
  return context(parts.join(' · '));
}

/** `note` is a line above the diagnosis, e.g. why this went into an existing thread. */
export function incidentMessage(incident: Incident, note?: string): SlackMessage {
  const icon =
    incident.status === 'resolved' ? ':white_check_mark:' : (SEVERITY_ICON[incident.severity] ?? ':warning:');
  const blocks: Block[] = [header(`${icon} ${incidentHeadline(incident)}`)];
  if (note) blocks.push(context(escapeMrkdwn(note)));
  const description = incident.annotations.description ?? incident.annotations.summary;
  if (description) blocks.push(context(escapeMrkdwn(description)));
  blocks.push(...diagnosisBlocks(incident, incident.annotations.runbook_url !== undefined));
  blocks.push(referenceLine(incident));
  // The buttons and what was done with them always survive the block limit.
  return message(incidentText(incident), blocks, actionBlocks(incident));
}

export function resolvedReply(incident: Incident): string {
  const ended = incident.endsAt ?? incident.updatedAt;
  const minutes = Math.max(0, Math.round((Date.parse(ended) - Date.parse(incident.startsAt)) / 60_000));
  return `Resolved at ${ended} after ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
