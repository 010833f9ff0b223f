// How each pod of a workload is failing, in a word, and which few are worth a full diagnosis.
import type { ContainerSnapshot, PodSnapshot } from '../context.js';
import type { WorkloadPod } from './types.js';

/** How many failing pods get the full pod diagnosis: a fixed number, whatever the replica count. */
export const PODS_DIAGNOSED = 3;

export interface PodProblem {
  /** Higher is worse: crash loops, then stuck waits, then pending or failed, then merely not ready; 0 healthy. */
  readonly severity: number;
  /** `OOMKilled at 512Mi`, `ImagePullBackOff`, `Pending (Unschedulable)`, `exit 1 (Error)`, `not ready`. */
  readonly label: string;
}

const HEALTHY: PodProblem = { severity: 0, label: 'ready' };

function containerProblem(c: ContainerSnapshot): PodProblem | undefined {
  const last = c.lastTerminated ?? (c.terminated && c.terminated.exitCode !== 0 ? c.terminated : undefined);
  if (last?.reason === 'OOMKilled')
    return { severity: 5, label: c.memoryLimit ? `OOMKilled at ${c.memoryLimit}` : 'OOMKilled' };
  if (c.waiting?.reason === 'CrashLoopBackOff')
    return {
      severity: 5,
      label: last
        ? `CrashLoopBackOff (exit ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})`
        : 'CrashLoopBackOff',
    };
  if (c.waiting && c.waiting.reason !== 'ContainerCreating' && c.waiting.reason !== 'PodInitializing')
    return { severity: 4, label: c.waiting.reason };
  if (c.terminated && c.terminated.exitCode !== 0)
    return {
      severity: 3,
      label: `exit ${c.terminated.exitCode}${c.terminated.reason ? ` (${c.terminated.reason})` : ''}`,
    };
  return undefined;
}

export function podProblem(pod: PodSnapshot): PodProblem {
  if (pod.phase === 'Succeeded') return HEALTHY;
  const worst = [...pod.initContainers, ...pod.containers]
    .map(containerProblem)
    .filter((p): p is PodProblem => p !== undefined)
    .sort((a, b) => b.severity - a.severity)[0];
  if (worst) return worst;
  if (pod.phase === 'Pending') {
    const scheduled = pod.conditions.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False')
      return { severity: 3, label: `Pending (${scheduled.reason ?? 'not scheduled'})` };
    return { severity: 2, label: 'Pending' };
  }
  if (pod.phase === 'Failed') return { severity: 3, label: `Failed${pod.reason ? ` (${pod.reason})` : ''}` };
  // The Ready condition when the kubelet reported one, else the containers' own readiness.
  const ready = pod.conditions.find((c) => c.type === 'Ready');
  const notReady = ready ? ready.status !== 'True' : pod.containers.some((c) => !c.ready);
  if (notReady) return { severity: 1, label: 'not ready' };
  return HEALTHY;
}

/**
 * The failing pods, worst first: by how badly they fail, then pods of the newest revision (`newest`, the revision
 * hash being rolled out) before the old ones, then most restarts, then name for a stable order.
 */
export function failingPods(pods: readonly WorkloadPod[], newest?: string): WorkloadPod[] {
  const restarts = (p: PodSnapshot) => p.containers.reduce((s, c) => s + c.restartCount, 0);
  const scored = pods.map((p) => ({ p, problem: podProblem(p.pod) })).filter((s) => s.problem.severity > 0);
  return scored
    .sort(
      (a, b) =>
        b.problem.severity - a.problem.severity ||
        Number(b.p.revisionHash === newest && newest !== undefined) -
          Number(a.p.revisionHash === newest && newest !== undefined) ||
        restarts(b.p.pod) - restarts(a.p.pod) ||
        a.p.pod.name.localeCompare(b.p.pod.name),
    )
    .map((s) => s.p);
}

/** `both OOMKilled at 512Mi`, `all 3 ImagePullBackOff`, `2 OOMKilled at 512Mi, 1 Pending (Unschedulable)`. */
export function describeFailures(problems: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const label of problems) counts.set(label, (counts.get(label) ?? 0) + 1);
  const [only] = counts.keys();
  if (counts.size === 1 && only !== undefined) {
    if (problems.length === 1) return only;
    return `${problems.length === 2 ? 'both' : `all ${problems.length}`} ${only}`;
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, n]) => `${n} ${label}`)
    .join(', ');
}
