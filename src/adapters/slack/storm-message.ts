// Renders a storm: one summary message (counts by diagnosis, node, namespace) and one thread reply per diagnosis.
import type { StormGroup, StormSummary } from '../../domain/storm.js';
import { stormActions } from './action-blocks.js';
import { escapeMrkdwn, type SlackMessage, truncate } from './message.js';

const SECTION_LIMIT = 3000;
const top = (pairs: readonly [string, number][], n: number) =>
  pairs
    .slice(0, n)
    .map(([k, v]) => `\`${escapeMrkdwn(k)}\` ${v}`)
    .join(', ') + (pairs.length > n ? ', …' : '');

export function stormSummaryMessage(
  summary: StormSummary,
  group: string,
  options: { readonly resolvedAt?: string; readonly stormId?: string } = {},
): SlackMessage {
  const storm = `Alert storm: ${summary.fresh} new alert${summary.fresh === 1 ? '' : 's'} in group ${group}`;
  const headline = options.resolvedAt ? `[RESOLVED] ${storm}` : storm;
  const icon = options.resolvedAt ? ':white_check_mark:' : ':thunder_cloud_and_rain:';
  const diagnoses = summary.groups.map((g) => `• *${escapeMrkdwn(g.title)}*: ${g.members.length}`).join('\n');
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`${icon} ${headline}`, 150), emoji: true },
    },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Diagnoses*\n${diagnoses}`, SECTION_LIMIT) } },
  ];
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
  if (where.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(where.join('\n'), SECTION_LIMIT) },
    });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: 'Details per diagnosis are in the thread.' }],
  });
  if (options.stormId && !options.resolvedAt) blocks.push(stormActions(options.stormId));
  const text = truncate(
    escapeMrkdwn(`${headline}: ${summary.groups.map((g) => `${g.title} ×${g.members.length}`).join('; ')}`),
    3900,
  );
  return { text, blocks };
}

export function stormGroupMessage(group: StormGroup): SlackMessage {
  const lines = group.members.slice(0, 40).map((m) => {
    const where = [
      m.namespace && m.pod ? `${m.namespace}/${m.pod}` : m.alertname,
      m.node ? `on ${m.node}` : undefined,
    ];
    return `• ${escapeMrkdwn(where.filter(Boolean).join(' '))}${m.confidence ? ` (${m.confidence})` : ''}`;
  });
  if (group.members.length > 40) lines.push(`• … and ${group.members.length - 40} more`);
  const step = group.members.find((m) => m.firstStep)?.firstStep;
  const blocks: Record<string, unknown>[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*${escapeMrkdwn(group.title)}* (${group.members.length})\n${lines.join('\n')}`,
          SECTION_LIMIT,
        ),
      },
    },
  ];
  if (step) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*First step*: ${escapeMrkdwn(step)}`, SECTION_LIMIT) },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Each alert is an incident of its own: \`GET /incidents?signature=${group.signatureId ?? 'none'}\``,
      },
    ],
  });
  return { text: truncate(escapeMrkdwn(`${group.title}: ${group.members.length} alerts`), 3900), blocks };
}

export function stormResolvedReply(total: number, lastAt: string): string {
  return `:white_check_mark: All ${total} alert${total === 1 ? '' : 's'} of this storm have resolved (the last at ${lastAt}).`;
}
