// The answers to `/triage` commands as Block Kit messages with their plain-text fallback.
import type { PodSnapshot } from '../domain/context.js';
import type { Incident } from '../domain/incident.js';
import type { PlaybookItem } from '../domain/playbook.js';
import { subjectTitle } from '../domain/subject.js';
import type { Inspection } from '../triage/inspect-target.js';
import {
  answer,
  type Block,
  code,
  context,
  escapeMrkdwn,
  findingBlocks,
  findingText,
  header,
  lineSections,
  section,
} from './blocks.js';
import { type IncidentFilters, USAGE } from './parse-command.js';
import type { CommandAnswer } from './response-url.js';

export function helpAnswer(command: string, unknown?: string): CommandAnswer {
  const c = escapeMrkdwn(command);
  const lines = [
    `• \`${c} ${escapeMrkdwn(USAGE.pod)}\`: diagnose a pod now (nothing is recorded, nothing goes to the channel)`,
    `• \`${c} ${escapeMrkdwn(USAGE.node)}\`: diagnose a node now`,
    `• \`${c} ${escapeMrkdwn(USAGE.incidents)}\`: recent incidents, newest first`,
    `• \`${c} ${escapeMrkdwn(USAGE.incident)}\`: one incident with its diagnosis`,
    `• \`${c} ${USAGE.playbooks}\`: the signatures in force (id, source, enabled)`,
    `• \`${c} ${USAGE.stats}\`: how often each signature was marked right or wrong from the messages`,
    `• \`${c} ${USAGE.help}\`: this list`,
  ];
  const intro = unknown
    ? `I don't know \`${escapeMrkdwn(unknown)}\`. Here is what I can do:`
    : `*${c}* asks the triage service about your cluster. Only you see the answers.`;
  const text = `${intro}\n${lines.join('\n')}`;
  const plain = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return answer(plain, [section(text)]);
}

export function errorAnswer(message: string, usage?: string, command = '/triage'): CommandAnswer {
  const usageLine = usage ? `\nUsage: \`${escapeMrkdwn(command)} ${escapeMrkdwn(usage)}\`` : '';
  return answer(`${message}${usage ? `\nUsage: ${command} ${usage}` : ''}`, [
    section(`:warning: ${escapeMrkdwn(message)}${usageLine}`),
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

export function inspectionAnswer(inspection: Inspection): CommandAnswer {
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
  const blocks: Block[] = [
    header(`Triage of ${name}`),
    context(
      `${pod ? `${podState(pod)} · ` : ''}on demand: no incident recorded, nothing posted to the channel`,
    ),
  ];
  if (top) blocks.push(...findingBlocks(top, others));
  else
    blocks.push(
      section(
        `*Diagnosis*: no known signature matched the evidence gathered for ${code(name)}. Start from \`kubectl describe\` and its recent events.`,
      ),
    );
  if (inspection.unavailable.length > 0)
    blocks.push(
      ...lineSections(
        '*Context not available*',
        inspection.unavailable.map((u) => `• ${escapeMrkdwn(u)}`),
        2,
      ),
    );
  const text = `Triage of ${name}: ${top ? findingText(top) : 'no known signature matched'}`;
  return answer(text, blocks);
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

export function incidentsAnswer(
  items: readonly Incident[],
  count: number,
  more: boolean,
  filters: IncidentFilters,
): CommandAnswer {
  const total = `${more ? 'more than ' : ''}${count} incident${count === 1 && !more ? '' : 's'}`;
  const title = `*${total}*${escapeMrkdwn(filterText(filters))}${items.length < count || more ? `; the newest ${items.length}:` : ':'}`;
  if (items.length === 0)
    return answer(`No incidents${filterText(filters)}.`, [
      section(`No incidents${escapeMrkdwn(filterText(filters))}.`),
    ]);
  const text = `${total}${filterText(filters)}\n${items
    .map(
      (i) => `${i.status} ${i.startsAt} ${i.alertname} ${i.findings[0]?.signatureId ?? 'no match'} ${i.id}`,
    )
    .join('\n')}`;
  return answer(text, lineSections(title, items.map(incidentLine), 10));
}

function posted(incident: Incident): string {
  const channel = incident.notifications[0]?.channel;
  if (channel === undefined) return 'not posted to Slack';
  return /^[CG][A-Z0-9]{2,}$/.test(channel) ? `posted to <#${channel}>` : `posted to ${code(channel)}`;
}

export function incidentAnswer(incident: Incident): CommandAnswer {
  const state = incident.status === 'resolved' ? 'RESOLVED' : incident.severity.toUpperCase();
  const t = incident.target;
  const target = subjectTitle(t, false);
  const [top, ...others] = incident.findings;
  const facts = [
    `incident ${code(incident.id)}`,
    `started ${escapeMrkdwn(incident.startsAt)}`,
    incident.endsAt ? `ended ${escapeMrkdwn(incident.endsAt)}` : undefined,
    t.node && t.kind === 'pod' ? `node ${code(t.node)}` : undefined,
    posted(incident),
  ].filter((p): p is string => p !== undefined);
  const blocks: Block[] = [header(`[${state}] ${incident.alertname}: ${target}`), context(facts.join(' · '))];
  if (top) blocks.push(...findingBlocks(top, others));
  else blocks.push(section('*Diagnosis*: no known signature matched the gathered evidence.'));
  if (incident.unavailable.length > 0)
    blocks.push(
      ...lineSections(
        '*Context not available*',
        incident.unavailable.map((u) => `• ${escapeMrkdwn(u)}`),
        2,
      ),
    );
  const text = `[${state}] ${incident.alertname}: ${target}: ${top ? findingText(top) : 'no known signature matched'}`;
  return answer(text, blocks);
}

export function playbooksAnswer(items: readonly PlaybookItem[]): CommandAnswer {
  const enabled = items.filter((i) => i.enabled).length;
  const bySource = (source: PlaybookItem['source']) => items.filter((i) => i.source === source).length;
  const summary = `${items.length} signatures, ${enabled} enabled (${bySource('built-in')} built-in, ${bySource('override')} overridden, ${bySource('custom')} custom)`;
  const lines = items.map(
    (i) => `• ${code(i.id)} · ${i.source} · ${i.enabled ? 'enabled' : ':no_entry_sign: disabled'}`,
  );
  const text = `${summary}\n${items.map((i) => `${i.id} ${i.source} ${i.enabled ? 'enabled' : 'disabled'}`).join('\n')}`;
  return answer(text, lineSections(`*${summary}*`, lines, 45));
}
