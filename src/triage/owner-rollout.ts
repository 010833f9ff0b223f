// For a pod alert: reads the pod's Deployment and its ReplicaSets (two calls) to tell whether a recent rollout
// preceded the failure; any failure to read leaves the findings as they were.
import type { TriageContext } from '../domain/context.js';
import type { Finding } from '../domain/signature.js';
import { rolloutChange } from '../domain/workload/changes.js';
import { withOwnerRollout } from '../domain/workload/owner-rollout.js';
import { selectorText } from '../domain/workload/selector.js';
import type { ClusterInspector } from '../ports.js';

/** A Deployment's ReplicaSet is named <deployment>-<pod-template-hash>. */
const DEPLOYMENT_OF = /^(.+)-[a-z0-9]{5,10}$/;

export async function ownerRollout(
  context: TriageContext,
  findings: readonly Finding[],
  inspector: ClusterInspector,
): Promise<readonly Finding[]> {
  const [top, ...rest] = findings;
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  if (!top || !pod || pod.ownerKind !== 'ReplicaSet' || !pod.ownerName) return findings;
  const name = DEPLOYMENT_OF.exec(pod.ownerName)?.[1];
  if (!name) return findings;
  try {
    const deployment = await inspector.workload(pod.namespace, 'Deployment', name);
    const selector = deployment?.selector ? selectorText(deployment.selector) : undefined;
    if (!deployment || selector === undefined) return findings;
    const change = rolloutChange(await inspector.replicaSets(pod.namespace, selector, deployment.uid));
    return change ? [withOwnerRollout(top, pod, name, change), ...rest] : findings;
  } catch {
    // What changed is context, not the diagnosis: without it the answer stands as it was.
    return findings;
  }
}
