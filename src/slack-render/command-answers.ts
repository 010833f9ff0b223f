// The answers to `/triage` commands (help, errors, a pod or node, incidents, the playbook), each a SlackMessage.
import type { IncidentFilters } from '../domain/command-job.js';
import type { PodSnapshot } from '../domain/context.js';
import type { Incident } from '../domain/incident.js';
import type { Inspection } from '../domain/inspection.js';
import type { PlaybookItem } from '../domain/playbook.js';
import { subjectTitle } from '../domain/subject.js';
import { type Block, context, header, lineSections, message, type SlackMessage, section } from './blocks.js';
import { findingBlocks, findingText } from './finding.js';
import {
  diagnosisBlocks,
  incidentHeadline,
  incidentText,
  noMatchBlocks,
  unavailableBlocks,
} from './incident-message.js';
import { code, escapeMrkdwn } from './text.js';

/** The command grammar's usage lines (commands/parse-command.ts), one per command. */
export type CommandUsage = Readonly<
  Record<'pod' | 'node' | 'incidents' | 'incident' | 'playbooks' | 'stats' | 'help', string>
>;

export function helpAnswer(command: string, usage: CommandUsage, unknown?: string): SlackMessage {
  const c = escapeMrkdwn(command);
  const line = (u: string, what: string) => `• ${code(`${command} ${u}`)}: ${what}`;
  const lines = [
    line(usage.pod, 'diagnose a pod now (nothing is recorded, nothing goes to the channel)'),
    line(usage.node, 'diagnose a node now'),
    line(usage.incidents, 'recent incidents, newest first'),
    line(usage.incident, 'one incident with its diagnosis'),
    line(usage.playbooks, 'the signatures in force (id, source, enabled)'),
    line(usage.stats, 'how often each signature was marked right or wrong from the messages'),
    line(usage.help, 'this list'),
  ];
  const intro = unknown
    ? `I don't know ${code(unknown)}. Here is what I can do:`
    : `*${c}* asks the triage service about your cluster. Only you see the answers.`;
  const text = `${intro}\n${lines.join('\n')}`;
  const plain = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return message(plain, [section(text)]);
}

export function errorAnswer(text: string, usage?: string, command = '/triage'): SlackMessage {
  const usageLine = usage ? `\nUsage: ${code(`${command} ${usage}`)}` : '';
  return message(`${text}${usage ? `\nUsage: ${command} ${usage}` : ''}`, [
    section(`:warning: ${escapeMrkdwn(text)}${usageLine}`),
  ]);
}

/** The immediate answer Slack shows while the full one is worked out. */
export function ackText(subject: string): string {
  return `Looking at ${subject}… I'll answer here shortly.`;
}

function podState(pod: PodSnapshot): string {
  const restarts = pod.containers.reduce((n, c) => n + c.restartCount, 0);
  const waiting = pod.containers.find((c) => c.waiting)?.waiting?.reason;
  const last = pod.containers.find((c) => c.lastTerminated)?.lastTerminated;
  return [
    `phase ${code(pod.phase)}`,
    `${restarts} restart${restarts === 1 ? '' : 's'}`,
    waiting ? `waiting ${code(waiting)}` : undefined,
    last ? `last exit ${last.exitCode}${last.reason ? ` (${escapeMrkdwn(last.reason)})` : ''}` : undefined,
    pod.nodeName ? `node ${code(pod.nodeName)}` : undefined,
  ]
    .filter((p): p is string => p !== undefined)
    .join(' · ');
}

export function inspectionAnswer(inspection: Inspection): SlackMessage {
  const t = inspection.target;
  const name = t.kind === 'pod' ? `${t.namespace}/${t.pod}` : `node ${t.node}`;
  if (!inspection.found) {
    return errorAnswer(
      t.kind === 'pod'
        ? `There is no pod ${name} in the cluster. Check the name with \`kubectl get pods -n ${t.namespace}\`: a replaced pod has a new name.`
        : `There is no ${name} in the cluster. Check the name with \`kubectl get nodes\`.`,
    );
  }
  const [top, ...others] = inspection.findings;
  const pod = inspection.context.pod.status === 'ok' ? inspection.context.pod.value : undefined;
  const facts = [
    pod ? podState(pod) : undefined,
    top ? `signature ${code(top.signatureId)}` : undefined,
    'on demand: no incident recorded, nothing posted to the channel',
  ].filter((p): p is string => p !== undefined);
  const blocks: Block[] = [
    header(`Triage of ${name}`),
    context(facts.join(' · ')),
    ...(top ? findingBlocks(top, others) : noMatchBlocks(t, undefined, false)),
    ...unavailableBlocks(inspection.unavailable),
  ];
  return message(`Triage of ${name}: ${top ? findingText(top) : 'no known signature matched'}`, blocks);
}

function filterText(filters: IncidentFilters): string {
  const parts = Object.entries(filters).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? ` matching ${parts.join(' ')}` : '';
}

function incidentLine(incident: Incident): string {
  const target = subjectTitle(incident.target, false);
  const icon = incident.status === 'resolved' ? ':white_check_mark:' : ':red_circle:';
  const signature = incident.findings[0]?.signatureId;
  return `${icon} ${escapeMrkdwn(incident.startsAt)} *${escapeMrkdwn(incident.alertname)}* ${escapeMrkdwn(target)} → ${
    signature ? code(signature) : '_no match_'
  } · ${code(incident.id)}`;
}

/**
 * The newest incidents and how many match: `count` exactly, or, when `more`, "more than `count`" (the count
 * stops at a bound rather than reading every match).
 */
export function incidentsAnswer(
  items: readonly Incident[],
  count: number,
  more: boolean,
  filters: IncidentFilters,
): SlackMessage {
  const total = `${more ? 'more than ' : ''}${count} incident${count === 1 && !more ? '' : 's'}`;
  const title = `*${total}*${escapeMrkdwn(filterText(filters))}${items.length < count || more ? `; the newest ${items.length}:` : ':'}`;
  if (items.length === 0)
    return message(`No incidents${filterText(filters)}.`, [
      section(`No incidents${escapeMrkdwn(filterText(filters))}.`),
    ]);
  const text = `${total}${filterText(filters)}\n${items
    .map(
      (i) => `${i.status} ${i.startsAt} ${i.alertname} ${i.findings[0]?.signatureId ?? 'no match'} ${i.id}`,
    )
    .join('\n')}`;
  return message(text, lineSections(title, items.map(incidentLine), 10));
}

function posted(incident: Incident): string {
  const channel = incident.notifications[0]?.channel;
  if (channel === undefined) return 'not posted to Slack';
  return /^[CG][A-Z0-9]{2,}$/.test(channel) ? `posted to <#${channel}>` : `posted to ${code(channel)}`;
}

/** One incident as its message shows it, with where it was posted instead of the buttons. */
export function incidentAnswer(incident: Incident): SlackMessage {
  const t = incident.target;
  const top = incident.findings[0];
  const facts = [
    `incident ${code(incident.id)}`,
    `started ${escapeMrkdwn(incident.startsAt)}`,
    incident.endsAt ? `ended ${escapeMrkdwn(incident.endsAt)}` : undefined,
    t.node && t.kind === 'pod' ? `node ${code(t.node)}` : undefined,
    top ? `signature ${code(top.signatureId)}` : undefined,
    posted(incident),
  ].filter((p): p is string => p !== undefined);
  const blocks: Block[] = [
    header(incidentHeadline(incident)),
    context(facts.join(' · ')),
    ...diagnosisBlocks(incident, false),
  ];
  return message(incidentText(incident), blocks);
}

export function playbooksAnswer(items: readonly PlaybookItem[]): SlackMessage {
  const enabled = items.filter((i) => i.enabled).length;
  const bySource = (source: PlaybookItem['source']) => items.filter((i) => i.source === source).length;
  const summary = `${items.length} signatures, ${enabled} enabled (${bySource('built-in')} built-in, ${bySource('override')} overridden, ${bySource('custom')} custom)`;
  const lines = items.map(
    (i) => `• ${code(i.id)} · ${i.source} · ${i.enabled ? 'enabled' : ':no_entry_sign: disabled'}`,
  );
  const text = `${summary}\n${items.map((i) => `${i.id} ${i.source} ${i.enabled ? 'enabled' : 'disabled'}`).join('\n')}`;
  return message(text, lineSections(`*${summary}*`, lines, 45));
}
