// A storm's summary: many alerts of one group, counted by signature, node and namespace, for one message and its thread.
import type { Incident } from './incident.js';

/** What a storm needs to remember of each member incident. */
export interface StormMember {
  readonly incidentId: string;
  readonly alertname: string;
  readonly signatureId: string | null;
  readonly title: string | null;
  readonly confidence: string | null;
  readonly namespace?: string;
  readonly pod?: string;
  readonly node?: string;
  /** The member's first remediation step, to show once per signature. */
  readonly firstStep?: string;
  /** Already reported before this storm (a re-sent group): counted, not repeated. */
  readonly alreadyNotified: boolean;
}

export function stormMember(incident: Incident, alreadyNotified: boolean): StormMember {
  const top = incident.findings[0];
  return {
    incidentId: incident.id,
    alertname: incident.alertname,
    signatureId: top?.signatureId ?? null,
    title: top?.title ?? null,
    confidence: top?.confidence ?? null,
    ...(incident.target.namespace ? { namespace: incident.target.namespace } : {}),
    ...(incident.target.pod ? { pod: incident.target.pod } : {}),
    ...(incident.target.node ? { node: incident.target.node } : {}),
    ...(top?.remediation[0] ? { firstStep: top.remediation[0] } : {}),
    alreadyNotified,
  };
}

export interface StormGroup {
  readonly signatureId: string | null;
  readonly title: string;
  readonly members: readonly StormMember[];
}

export interface StormSummary {
  readonly total: number;
  /** Alerts of the group that Alertmanager left out of the delivery (its max_alerts): counted, never seen. */
  readonly truncated: number;
  readonly fresh: number;
  readonly groups: readonly StormGroup[];
  readonly nodes: readonly [string, number][];
  readonly namespaces: readonly [string, number][];
}

function countBy(
  members: readonly StormMember[],
  key: (m: StormMember) => string | undefined,
): [string, number][] {
  const counts = new Map<string, number>();
  for (const m of members) {
    const k = key(m);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Groups by diagnosis, largest first; the thread gets one reply per group, so at most `maxGroups` plus "other". */
export function summarizeStorm(
  members: readonly StormMember[],
  options: { readonly truncated?: number; readonly maxGroups?: number } = {},
): StormSummary {
  const maxGroups = options.maxGroups ?? 8;
  const fresh = members.filter((m) => !m.alreadyNotified);
  const bySignature = new Map<string, StormMember[]>();
  for (const m of fresh) {
    const key = m.signatureId ?? '';
    bySignature.set(key, [...(bySignature.get(key) ?? []), m]);
  }
  const ordered = [...bySignature.values()].sort((a, b) => b.length - a.length);
  const groups: StormGroup[] = ordered.slice(0, maxGroups).map((list) => ({
    signatureId: list[0]?.signatureId ?? null,
    title: list[0]?.title ?? 'No known signature matched',
    members: list,
  }));
  const rest = ordered.slice(maxGroups).flat();
  if (rest.length > 0) groups.push({ signatureId: null, title: 'Other diagnoses', members: rest });
  return {
    total: members.length,
    truncated: options.truncated ?? 0,
    fresh: fresh.length,
    groups,
    nodes: countBy(fresh, (m) => m.node),
    namespaces: countBy(fresh, (m) => m.namespace),
  };
}
