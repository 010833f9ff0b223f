// For a pod alert: reads the pod's Deployment, StatefulSet or DaemonSet and its revisions (two calls: the object, then
// its ReplicaSets or ControllerRevisions) to tell whether a recent rollout preceded the failure. Failing to read
// leaves the findings as they were; revisions that cannot be read (no grant) are named unread in the evidence.
import type { TriageContext } from '../domain/context.js';
import type { Finding } from '../domain/signature.js';
import { rolloutChange } from '../domain/workload/changes.js';
import { type PodOwner, withOwnerRollout } from '../domain/workload/owner-rollout.js';
import { selectorText } from '../domain/workload/selector.js';
import type { RevisionSnapshot } from '../domain/workload/types.js';
import type { ClusterInspector } from '../ports.js';

/** A Deployment's ReplicaSet is named <deployment>-<pod-template-hash>. */
const DEPLOYMENT_OF = /^(.+)-[a-z0-9]{5,10}$/;

function ownerOf(kind: string | undefined, name: string | undefined): PodOwner | undefined {
  if (!name) return undefined;
  if (kind === 'StatefulSet' || kind === 'DaemonSet') return { kind, name };
  const deployment = kind === 'ReplicaSet' ? DEPLOYMENT_OF.exec(name)?.[1] : undefined;
  return deployment ? { kind: 'Deployment', name: deployment } : undefined;
}

export async function ownerRollout(
  context: TriageContext,
  findings: readonly Finding[],
  inspector: ClusterInspector,
): Promise<readonly Finding[]> {
  const [top, ...rest] = findings;
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  const owner = ownerOf(pod?.ownerKind, pod?.ownerName);
  if (!top || !pod || !owner) return findings;
  let revisions: RevisionSnapshot[];
  let selector: string | undefined;
  try {
    const object = await inspector.workload(pod.namespace, owner.kind, owner.name);
    selector = object?.selector ? selectorText(object.selector) : undefined;
    if (!object || selector === undefined) return findings;
    revisions =
      owner.kind === 'Deployment'
        ? await inspector.replicaSets(pod.namespace, selector, object.uid)
        : await inspector.controllerRevisions(pod.namespace, selector, object.uid);
  } catch (error) {
    // What changed is context, not the diagnosis: without it the answer stands, saying what was not read.
    if (selector === undefined) return findings;
    const reason = error instanceof Error ? error.message : String(error);
    const detail = `${owner.kind.toLowerCase()}/${owner.name}: revisions unread, so whether a rollout preceded the failure is unknown: ${reason}`;
    return [{ ...top, evidence: [...top.evidence, { source: 'workload', detail }] }, ...rest];
  }
  const change = rolloutChange(revisions, owner.kind === 'Deployment' ? undefined : pod.revisionHash);
  return change ? [withOwnerRollout(top, pod, owner, change), ...rest] : findings;
}
