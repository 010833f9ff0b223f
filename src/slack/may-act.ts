// Who may act on an incident from Slack: one decision, so the slash-command allow-list can join it at merge.
import type { Incident } from '../domain/incident.js';

export interface ActPolicy {
  /** Slack team (workspace) ids allowed to act; empty: any team that can sign requests for this app. */
  readonly teams: readonly string[];
  /** Slack user ids allowed to act; empty: anyone in an allowed team. */
  readonly users: readonly string[];
}

export type ActDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * The signature proves the request came from this app's Slack installation; the allow-lists narrow it to the
 * workspaces and people who run the cluster. `incident` is there for a per-namespace rule (issue 16's mapping).
 */
export function mayAct(
  user: string,
  team: string,
  _incident: Incident | undefined,
  policy: ActPolicy,
): ActDecision {
  if (policy.teams.length > 0 && !policy.teams.includes(team))
    return { allowed: false, reason: 'this Slack workspace is not allowed to act on triage messages' };
  if (policy.users.length > 0 && !policy.users.includes(user))
    return { allowed: false, reason: 'you are not on the list of people allowed to act on triage messages' };
  return { allowed: true };
}
