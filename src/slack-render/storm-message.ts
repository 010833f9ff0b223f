// A storm as one summary message (counts by diagnosis, node, namespace) and one thread reply per diagnosis.
import type { StormGroup, StormSummary } from '../domain/storm.js';
import { stormActions } from './action-blocks.js';
import { type Block, context, header, message, type SlackMessage, section } from './blocks.js';
import { code, escapeMrkdwn, plural } from './text.js';

/** Members listed in a diagnosis' reply; the rest are counted. */
const MAX_MEMBERS = 40;

const top = (pairs: readonly [string, number][], n: number) =>
  pairs
    .slice(0, n)
    .map(([k, v]) => `${code(k)} ${v}`)
    .join(', ') + (pairs.length > n ? ', …' : '');

export function stormSummaryMessage(
  summary: StormSummary,
  group: string,
  options: { readonly resolvedAt?: string; readonly stormId?: string } = {},
): SlackMessage {
  const storm = `Alert storm: ${plural(summary.fresh, 'new alert')} in group ${group}`;
  const headline = options.resolvedAt ? `[RESOLVED] ${storm}` : storm;
  const icon = options.resolvedAt ? ':white_check_mark:' : ':thunder_cloud_and_rain:';
  const diagnoses = summary.groups.map((g) => `• *${escapeMrkdwn(g.title)}*: ${g.members.length}`).join('\n');
  const blocks: Block[] = [header(`${icon} ${headline}`), section(`*Diagnoses*\n${diagnoses}`)];
  const where = [
    summary.nodes.length > 0 ? `*Nodes*: ${top(summary.nodes, 10)}` : undefined,
    summary.namespaces.length > 0 ? `*Namespaces*: ${top(summary.namespaces, 10)}` : undefined,
    summary.total > summary.fresh
      ? `${summary.total - summary.fresh} alert(s) of this group were reported before.`
      : undefined,
    summary.truncated > 0
      ? `:warning: Alertmanager left ${summary.truncated} more alert(s) of this group out of the notification ` +
        "(the receiver's `max_alerts`): they are not triaged here; see Alertmanager for the full list."
      : undefined,
  ].filter((x): x is string => x !== undefined);
  if (where.length > 0) blocks.push(section(where.join('\n')));
  blocks.push(context('Details per diagnosis are in the thread.'));
  const kept = options.stormId && !options.resolvedAt ? [stormActions(options.stormId)] : [];
  const text = `${headline}: ${summary.groups.map((g) => `${g.title} ×${g.members.length}`).join('; ')}`;
  return message(text, blocks, kept);
}

export function stormGroupMessage(group: StormGroup): SlackMessage {
  const lines = group.members.slice(0, MAX_MEMBERS).map((m) => {
    const where = [
      m.namespace && m.pod ? `${m.namespace}/${m.pod}` : m.alertname,
      m.node ? `on ${m.node}` : undefined,
    ];
    return `• ${escapeMrkdwn(where.filter(Boolean).join(' '))}${m.confidence ? ` (${m.confidence})` : ''}`;
  });
  if (group.members.length > MAX_MEMBERS) lines.push(`• … and ${group.members.length - MAX_MEMBERS} more`);
  const step = group.members.find((m) => m.firstStep)?.firstStep;
  const blocks: Block[] = [
    section(`*${escapeMrkdwn(group.title)}* (${group.members.length})\n${lines.join('\n')}`),
  ];
  if (step) blocks.push(section(`*First step*: ${escapeMrkdwn(step)}`));
  blocks.push(
    context(
      `Each alert is an incident of its own: ${code(`GET /incidents?signature=${group.signatureId ?? 'none'}`)}`,
    ),
  );
  return message(`${group.title}: ${group.members.length} alerts`, blocks);
}

export function stormResolvedReply(total: number, lastAt: string): string {
  return `:white_check_mark: All ${plural(total, 'alert')} of this storm have resolved (the last at ${lastAt}).`;
}
