// The workload an incident is about, as recurrence compares it: stored with the incident so history can match on it.
import type { Incident } from './incident.js';

/** A pod's workload key: a Deployment pod drops its ReplicaSet hash and pod suffix, other pods their ordinal/suffix. */
export function workloadKey(pod: string): string {
  const withoutPodSuffix = pod.replace(/-[a-z0-9]{5}$/, '');
  if (withoutPodSuffix !== pod) return withoutPodSuffix.replace(/-[a-f0-9]{6,10}$/, '');
  return pod.replace(/-\d+$/, '');
}

/** The workload an incident is about: its pod's workload key, or the workload a workload alert names. */
export function subjectKey(target: Incident['target']): string | undefined {
  return target.pod ? workloadKey(target.pod) : target.workload?.name;
}
