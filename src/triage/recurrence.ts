// Recurrence: has the same signature hit the same workload before? One indexed query per diagnosis.
import type { Incident } from '../domain/incident.js';
import type { IncidentStore } from '../ports.js';

/** A pod's workload key: a Deployment pod drops its ReplicaSet hash and pod suffix, other pods their ordinal/suffix. */
export function workloadKey(pod: string): string {
  const withoutPodSuffix = pod.replace(/-[a-z0-9]{5}$/, '');
  if (withoutPodSuffix !== pod) return withoutPodSuffix.replace(/-[a-f0-9]{6,10}$/, '');
  return pod.replace(/-\d+$/, '');
}

const WINDOW_MS = 30 * 24 * 3600 * 1000;

/** The workload an incident is about: its pod's workload key, or the workload a workload alert names. */
function subjectKey(target: Incident['target']): string | undefined {
  return target.pod ? workloadKey(target.pod) : target.workload?.name;
}

export async function withRecurrence(incident: Incident, store: IncidentStore, now: Date): Promise<Incident> {
  const top = incident.findings[0];
  const { namespace } = incident.target;
  const key = subjectKey(incident.target);
  if (!top || !namespace || !key) return incident;
  const page = await store.list({
    signature: top.signatureId,
    namespace,
    since: new Date(now.getTime() - WINDOW_MS).toISOString(),
    limit: 50,
  });
  const earlier = page.items.filter(
    (i) => i.id !== incident.id && subjectKey(i.target) === key && i.startsAt < incident.startsAt,
  );
  const last = earlier[0];
  if (!last) return incident;
  const recurrence = { count: earlier.length, lastAt: last.startsAt };
  return { ...incident, findings: [{ ...top, recurrence }, ...incident.findings.slice(1)] };
}
