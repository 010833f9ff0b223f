// Who may act on an incident from Slack: the same allow-lists and namespace grants as the slash command.
import type { Incident } from '../domain/incident.js';
import { grantOf, mayInspect, refusedCaller, type SlackAccess } from './access.js';

export type ActDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * The signature proves the request came from this app's Slack installation; `SLACK_TEAM_IDS`/`SLACK_USER_IDS`
 * narrow it to the workspaces and people who run the cluster, and `SLACK_NAMESPACES` to the namespaces the
 * channel or user may act on (an incident without a namespace needs every namespace).
 */
export function mayAct(
  who: { readonly user: string; readonly team: string; readonly channel: string },
  incident: Incident | undefined,
  access: SlackAccess,
): ActDecision {
  const refused = refusedCaller(access, who.team, who.user);
  if (refused)
    return { allowed: false, reason: refused.replace('use this command', 'act on triage messages') };
  const namespace = incident ? (incident.target.namespace ?? incident.labels.namespace) : undefined;
  if (incident && !mayInspect(grantOf(access, who.channel, who.user), namespace))
    return {
      allowed: false,
      reason: `this channel may not act on incidents of ${namespace ?? 'the whole cluster'}`,
    };
  return { allowed: true };
}
