// Precision from the field: per signature and per alert name, incidents led and on-call's right/wrong verdicts.
import type { Incident } from './incident.js';

export interface VerdictCount {
  readonly key: string;
  /** Incidents whose top finding was this signature (or: that fired with this alert name). */
  readonly incidents: number;
  readonly right: number;
  readonly wrong: number;
  /** right / (right + wrong); null until someone gave a verdict. */
  readonly precision: number | null;
}

export interface SignatureStats {
  readonly since: string;
  readonly until: string;
  /** Incidents looked at in the window. */
  readonly incidents: number;
  readonly bySignature: readonly VerdictCount[];
  readonly byAlertname: readonly VerdictCount[];
  /** True when the window held more incidents than were read: the counts are a lower bound. */
  readonly partial: boolean;
}

/** Incidents no signature matched are counted under this key. */
export const NO_SIGNATURE = '(none)';

function tally(incidents: readonly Incident[], keyOf: (i: Incident) => string): VerdictCount[] {
  const counts = new Map<string, { incidents: number; right: number; wrong: number }>();
  for (const incident of incidents) {
    const key = keyOf(incident);
    const c = counts.get(key) ?? { incidents: 0, right: 0, wrong: 0 };
    c.incidents += 1;
    if (incident.verdict?.verdict === 'right') c.right += 1;
    if (incident.verdict?.verdict === 'wrong') c.wrong += 1;
    counts.set(key, c);
  }
  return [...counts.entries()]
    .map(([key, c]) => ({
      key,
      ...c,
      precision: c.right + c.wrong === 0 ? null : Math.round((c.right / (c.right + c.wrong)) * 1000) / 1000,
    }))
    .sort((a, b) => b.incidents - a.incidents || a.key.localeCompare(b.key));
}

export function signatureStats(
  incidents: readonly Incident[],
  window: { since: string; until: string; partial: boolean },
): SignatureStats {
  return {
    ...window,
    incidents: incidents.length,
    bySignature: tally(incidents, (i) => i.findings[0]?.signatureId ?? NO_SIGNATURE),
    byAlertname: tally(incidents, (i) => i.alertname),
  };
}
