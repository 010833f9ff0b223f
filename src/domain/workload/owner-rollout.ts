// A pod alert whose Deployment, StatefulSet or DaemonSet rolled out just before the pod began failing: the rollout
// joins the evidence.
import type { PodSnapshot } from '../context.js';
import type { Finding } from '../signature.js';
import { failureGap, RECENT_ROLLOUT_MS, type RolloutChange, runsRevision, timingLine } from './changes.js';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The workload that owns the pod's template: a Deployment (through its ReplicaSet) or a set. */
export interface PodOwner {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  readonly name: string;
}

/** Whether the pod runs the change's current revision: its ReplicaSet by name, a set's pod by its revision label. */
function runsCurrent(pod: PodSnapshot, owner: PodOwner, change: RolloutChange): boolean {
  if (owner.kind === 'Deployment')
    return pod.ownerKind === 'ReplicaSet' && pod.ownerName === change.current.name;
  return pod.ownerKind === owner.kind && runsRevision(pod.revisionHash, change.current.name);
}

/**
 * The top finding with the rollout in its summary and evidence, and the rollback first in its remediation, when the
 * pod runs the newest revision and began failing within the hour after it was rolled out; else unchanged.
 */
export function withOwnerRollout(
  finding: Finding,
  pod: PodSnapshot,
  owner: string | PodOwner,
  change: RolloutChange,
): Finding {
  const who: PodOwner = typeof owner === 'string' ? { kind: 'Deployment', name: owner } : owner;
  if (!runsCurrent(pod, who, change)) return finding;
  const gap = failureGap(change, [pod]);
  if (gap === undefined || gap.ms < 0 || gap.ms > RECENT_ROLLOUT_MS) return finding;
  const timing = timingLine(change, [pod]);
  if (!timing) return finding;
  const ref = `${who.kind.toLowerCase()}/${who.name}`;
  const rollback =
    change.previous.revision > 0
      ? [
          `The pod began failing right after ${ref} rolled out revision ${change.current.revision}: roll back to revision ${change.previous.revision} while you fix it: \`kubectl rollout undo ${ref} -n ${pod.namespace} --to-revision=${change.previous.revision}\`${who.kind === 'StatefulSet' ? `, then delete the pod, which the StatefulSet will not replace by itself while it is not Ready: \`kubectl delete pod ${pod.name} -n ${pod.namespace}\`` : ''}.`,
        ]
      : [];
  return {
    ...finding,
    summary: `${finding.summary} ${capital(timing)}.`,
    evidence: [...finding.evidence, { source: 'workload', detail: `${ref}: ${timing}` }],
    remediation: [...rollback, ...finding.remediation],
  };
}
