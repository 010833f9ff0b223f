// Reads a window of incident history and tallies on-call's verdicts: shared by GET /stats/signatures and /triage stats.

import type { Incident } from '../domain/incident.js';
import { type SignatureStats, signatureStats } from '../domain/verdict-stats.js';
import type { IncidentStore } from '../ports.js';

/** Pages of 100 read at most for one answer (10,000 incidents); beyond that the answer says it is partial. */
const MAX_PAGES = 100;
export const DEFAULT_WINDOW_DAYS = 30;

export async function fieldStats(
  store: IncidentStore,
  window: { since?: string; until?: string },
  now: Date,
): Promise<SignatureStats> {
  const until = window.until ?? now.toISOString();
  const since = window.since ?? new Date(Date.parse(until) - DEFAULT_WINDOW_DAYS * 86_400_000).toISOString();
  const incidents: Incident[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.list({ since, until, limit: 100, ...(cursor ? { cursor } : {}) });
    incidents.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < MAX_PAGES);
  return signatureStats(incidents, { since, until, partial: cursor !== undefined });
}
