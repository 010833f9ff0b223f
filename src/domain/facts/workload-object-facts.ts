// Facts about a workload alert's object (Deployment, StatefulSet, DaemonSet, Job, HPA, PDB) and its pods' state.
import { type TriageContext, unavailable } from '../context.js';
import { gapText } from '../workload/placement.js';
import { condition, conditionText, kubectlName, shortfall, stateLine } from '../workload/state.js';
import type { WorkloadSnapshot } from '../workload/types.js';
import type { FactSheet } from './fact-sheet.js';

/** How the pod-level cause is quoted; a workload finding that quotes it explains it (workload/answer.ts). */
export function podCauseDetail(signatureId: string, pods: readonly string[]): string {
  return `pod-level cause ${signatureId} in ${pods.join(', ')}`;
}

export const WORKLOAD_OBJECT_FACTS = [
  'workload.kind',
  'workload.name',
  'workload.state',
  'workload.unavailable',
  'workload.progressing',
  'workload.updatePending',
  'workload.podCause',
  'workload.failingPods',
  'workload.change',
  'job.failed',
  'job.podExits',
  'hpa.atMax',
  'hpa.scalingLimited',
  'hpa.metricsAboveTarget',
  'hpa.scaleTarget',
  'hpa.maxReplicas',
  'job.cronJob',
  'daemonset.gaps',
  'daemonset.gap',
  'daemonset.gapNode',
  'daemonset.taintKey',
  'daemonset.taintEffect',
] as const;

/** Whether the rollout of a new template has not reached every replica (StatefulSet: pods on the old revision). */
function updatePending(w: WorkloadSnapshot): string | undefined {
  const r = w.replicas;
  if (!r) return undefined;
  if (w.kind === 'StatefulSet' && w.revision && w.currentRevision && w.revision !== w.currentRevision)
    return `${kubectlName(w.kind, w.name)}: ${r.updated} of ${r.desired} replicas on update revision ${w.revision}, the rest still on ${w.currentRevision}`;
  if ((w.kind === 'Deployment' || w.kind === 'DaemonSet') && r.updated < r.desired)
    return `${kubectlName(w.kind, w.name)}: ${r.updated} of ${r.desired} ${w.kind === 'DaemonSet' ? 'nodes run' : 'replicas are'} the newest template${w.revision ? ` (revision ${w.revision})` : ''}`;
  return undefined;
}

export function addWorkloadObjectFacts(sheet: FactSheet, context: TriageContext): void {
  const piece = context.workload;
  if (!piece) return;
  if (sheet.unknown(WORKLOAD_OBJECT_FACTS, piece, 'workload')) return;
  if (piece.status !== 'ok') return;
  const state = piece.value;
  const w = state.object;
  const name = kubectlName(w.kind, w.name);
  sheet.value('workload.kind', w.kind, 'workload', () => `${name} in ${w.namespace}`);
  sheet.value('workload.name', w.name, 'workload', () => name);
  sheet.value('workload.state', stateLine(w), 'workload', () => `${name}: ${stateLine(w)}`);
  const pods = state.scaleTarget ?? w;
  sheet.value(
    'workload.unavailable',
    shortfall(pods),
    'workload',
    () => `${kubectlName(pods.kind, pods.name)}: ${stateLine(pods)}`,
  );
  const progressing = condition(pods, 'Progressing');
  if (progressing?.status === 'False')
    sheet.value(
      'workload.progressing',
      progressing.reason ?? 'False',
      'workload',
      () => `${kubectlName(pods.kind, pods.name)} ${conditionText(progressing)}`,
    );
  const pending = updatePending(pods);
  sheet.value(
    'workload.updatePending',
    pending !== undefined,
    'workload',
    () => pending ?? `${name}: every replica runs the newest template`,
  );
  // Unlisted pods are not healthy pods: a signature that needs "no pod-level cause" cannot be sure of it.
  if (state.podsUnavailable !== undefined)
    sheet.unknown(
      ['workload.podCause', 'workload.failingPods', 'job.podExits'],
      unavailable(state.podsUnavailable),
      'the pods',
    );
  else if (state.podCause)
    sheet.value('workload.podCause', state.podCause.signatureId, 'workload', () =>
      podCauseDetail(state.podCause?.signatureId ?? '', state.podCause?.pods ?? []),
    );
  if (state.podsUnavailable === undefined)
    sheet.texts(
      'workload.failingPods',
      state.failing.map((p) => ({ text: `pod ${p.name}: ${p.problem}`, source: 'workload' as const })),
      'workload',
    );
  const change = state.change;
  if (state.revisionsUnread !== undefined)
    sheet.unknown(['workload.change'], unavailable(state.revisionsUnread), 'the revisions');
  else if (change && change.changes.length > 0)
    sheet.value(
      'workload.change',
      change.changes.join('; '),
      'workload',
      () => `revision ${change.previous.revision} → ${change.current.revision}: ${change.changes.join('; ')}`,
    );

  const failed = condition(w, 'Failed');
  if (w.kind === 'Job' && failed?.status === 'True')
    sheet.value(
      'job.failed',
      failed.reason ?? 'Failed',
      'workload',
      () => `${name} ${conditionText(failed)}`,
    );
  const cron = w.job?.cronJob;
  if (cron)
    sheet.value(
      'job.cronJob',
      cron.name,
      'workload',
      () =>
        `${name} was created by cronjob/${cron.name}${cron.schedule ? ` (schedule ${cron.schedule})` : ''}`,
    );
  if (w.kind === 'Job' && state.podsUnavailable === undefined)
    sheet.texts(
      'job.podExits',
      state.failing.flatMap((p) =>
        p.exit ? [{ text: `pod ${p.name}: ${p.exit}`, source: 'workload' as const }] : [],
      ),
      'workload',
    );

  const h = w.hpa;
  if (h) {
    const atMax = h.currentReplicas >= h.maxReplicas;
    sheet.value(
      'hpa.atMax',
      atMax,
      'workload',
      () =>
        `${name} runs ${h.currentReplicas} replicas, its maximum is ${h.maxReplicas} (desired ${h.desiredReplicas})`,
    );
    const target = kubectlName(h.scaleTarget.kind, h.scaleTarget.name);
    sheet.value('hpa.scaleTarget', target, 'workload', () => `${name} scales ${target}`);
    sheet.value('hpa.maxReplicas', h.maxReplicas, 'workload', () => `${name} maxReplicas ${h.maxReplicas}`);
    const limited = condition(w, 'ScalingLimited');
    if (limited?.status === 'True')
      sheet.value(
        'hpa.scalingLimited',
        limited.reason ?? 'True',
        'workload',
        () => `${name} ${conditionText(limited)}`,
      );
    sheet.texts(
      'hpa.metricsAboveTarget',
      h.metrics
        .filter(
          (m) =>
            m.currentValue !== undefined && m.targetValue !== undefined && m.currentValue > m.targetValue,
        )
        .map((m) => ({
          text: `${name}: ${m.name} at ${m.current} against a target of ${m.target}`,
          source: 'workload' as const,
        })),
      'workload',
    );
  }
  const first = state.placement?.[0];
  if (first) sheet.value('daemonset.gap', gapText(first), 'workload', () => gapText(first));
  const blocked = state.placement?.find((g) => g.taint);
  if (blocked?.taint) {
    const { taint } = blocked;
    sheet.value('daemonset.gapNode', blocked.node, 'workload', () => gapText(blocked));
    sheet.value('daemonset.taintKey', taint.key, 'workload', () => gapText(blocked));
    sheet.value('daemonset.taintEffect', taint.effect, 'workload', () => gapText(blocked));
  }
  if (state.placement)
    sheet.texts(
      'daemonset.gaps',
      state.placement.map((g) => ({ text: gapText(g), source: 'workload' as const })),
      'workload',
    );
}
