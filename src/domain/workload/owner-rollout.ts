// A pod alert whose Deployment rolled out just before the pod began failing: the rollout joins the evidence.
import type { PodSnapshot } from '../context.js';
import type { Finding } from '../signature.js';
import { failureGap, RECENT_ROLLOUT_MS, type RolloutChange, timingLine } from './changes.js';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The top finding with the rollout in its summary and evidence, and the rollback first in its remediation, when the
 * pod runs the newest revision and began failing within the hour after it was rolled out; else unchanged.
 */
export function withOwnerRollout(
  finding: Finding,
  pod: PodSnapshot,
  deployment: string,
  change: RolloutChange,
): Finding {
  if (pod.ownerKind !== 'ReplicaSet' || pod.ownerName !== change.current.name) return finding;
  const gap = failureGap(change, [pod]);
  if (gap === undefined || gap.ms < 0 || gap.ms > RECENT_ROLLOUT_MS) return finding;
  const timing = timingLine(change, [pod]);
  if (!timing) return finding;
  const rollback =
    change.previous.revision > 0
      ? [
          `The pod began failing right after deployment/${deployment} rolled out revision ${change.current.revision}: roll back to revision ${change.previous.revision} while you fix it: \`kubectl rollout undo deployment/${deployment} -n ${pod.namespace} --to-revision=${change.previous.revision}\`.`,
        ]
      : [];
  return {
    ...finding,
    summary: `${finding.summary} ${capital(timing)}.`,
    evidence: [...finding.evidence, { source: 'workload', detail: `deployment/${deployment}: ${timing}` }],
    remediation: [...rollback, ...finding.remediation],
  };
}
