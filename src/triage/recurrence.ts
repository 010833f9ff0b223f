// Recurrence: has the same signature hit the same workload before? One indexed query per diagnosis.
import type { Incident } from '../domain/incident.js';
import { subjectKey } from '../domain/recurrence-subject.js';
import type { IncidentStore, Recurrence } from '../ports.js';

export { workloadKey } from '../domain/recurrence-subject.js';

const WINDOW_MS = 30 * 24 * 3600 * 1000;
/** Earlier incidents counted at most. */
const LIMIT = 50;

export async function withRecurrence(incident: Incident, store: IncidentStore, now: Date): Promise<Incident> {
  const top = incident.findings[0];
  const { namespace } = incident.target;
  const key = subjectKey(incident.target);
  if (!top || !namespace || !key) return incident;
  const since = new Date(now.getTime() - WINDOW_MS).toISOString();
  const recurrence = store.recurrence
    ? await store.recurrence({
        signature: top.signatureId,
        namespace,
        subject: key,
        since,
        before: incident.startsAt,
        limit: LIMIT,
      })
    : await fromList(incident, store, top.signatureId, namespace, key, since);
  if (!recurrence) return incident;
  return { ...incident, findings: [{ ...top, recurrence }, ...incident.findings.slice(1)] };
}

/** For a store without a recurrence read: a page of the signature's incidents in the namespace, compared here. */
async function fromList(
  incident: Incident,
  store: IncidentStore,
  signature: string,
  namespace: string,
  key: string,
  since: string,
): Promise<Recurrence | undefined> {
  const page = await store.list({ signature, namespace, since, limit: LIMIT });
  const earlier = page.items.filter(
    (i) => i.id !== incident.id && subjectKey(i.target) === key && i.startsAt < incident.startsAt,
  );
  const last = earlier[0];
  return last ? { count: earlier.length, lastAt: last.startsAt } : undefined;
}
