// The workload's own state in words: replicas, conditions and the failing pods, for summaries and evidence.
import type { ConditionSnapshot } from '../context.js';
import type { WorkloadSnapshot } from './types.js';

/** `deployment/checkout-api`, as kubectl names it (HPA and PDB by their short names). */
export function kubectlName(kind: string, name: string): string {
  const short: Record<string, string> = {
    HorizontalPodAutoscaler: 'hpa',
    PodDisruptionBudget: 'pdb',
  };
  return `${short[kind] ?? kind.toLowerCase()}/${name}`;
}

export function condition(w: WorkloadSnapshot, type: string): ConditionSnapshot | undefined {
  return w.conditions.find((c) => c.type === type);
}

export function conditionText(c: ConditionSnapshot): string {
  return `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`;
}

/** Replicas short of desired: not available (Deployment, DaemonSet), not ready (StatefulSet). */
export function shortfall(w: WorkloadSnapshot): number {
  const r = w.replicas;
  if (!r) return 0;
  const have = w.kind === 'StatefulSet' ? r.ready : r.available;
  return Math.max(0, r.desired - have);
}

/** `2 of 3 replicas unavailable`, `1 of 4 nodes without an available daemon pod`, `Job failed: 4 pods failed`. */
export function stateLine(w: WorkloadSnapshot): string {
  const r = w.replicas;
  switch (w.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      if (!r) return `${w.kind} ${w.name}`;
      const missing = shortfall(w);
      const word = w.kind === 'StatefulSet' ? 'not ready' : 'unavailable';
      const base =
        missing > 0
          ? `${missing} of ${r.desired} replicas ${word}`
          : `${r.available} of ${r.desired} replicas available`;
      return r.updated < r.desired ? `${base}, ${r.updated} of ${r.desired} updated` : base;
    }
    case 'DaemonSet': {
      if (!r) return `DaemonSet ${w.name}`;
      const parts = [`daemon pods on ${r.current} of ${r.desired} nodes, ${r.available} available`];
      if (r.updated < r.desired) parts.push(`${r.updated} updated`);
      if (r.misscheduled) parts.push(`${r.misscheduled} on nodes they should not run on`);
      return parts.join(', ');
    }
    case 'Job': {
      const j = w.job;
      if (!j) return `Job ${w.name}`;
      const failed = condition(w, 'Failed');
      const head =
        failed?.status === 'True' ? `Job failed (${failed.reason ?? 'Failed'})` : 'Job not complete';
      return `${head}: ${j.failed} failed, ${j.succeeded} succeeded, ${j.active} active pods${j.backoffLimit !== undefined ? ` (backoffLimit ${j.backoffLimit})` : ''}`;
    }
    case 'HorizontalPodAutoscaler': {
      const h = w.hpa;
      if (!h) return `HPA ${w.name}`;
      return `${h.currentReplicas} replicas (min ${h.minReplicas}, max ${h.maxReplicas}, desired ${h.desiredReplicas}) of ${kubectlName(h.scaleTarget.kind, h.scaleTarget.name)}`;
    }
    case 'PodDisruptionBudget': {
      const p = w.pdb;
      if (!p) return `PDB ${w.name}`;
      return `${p.currentHealthy} healthy of ${p.desiredHealthy} required (${p.expectedPods} expected pods), ${p.disruptionsAllowed} disruptions allowed`;
    }
    default:
      return `${w.kind} ${w.name}`;
  }
}
