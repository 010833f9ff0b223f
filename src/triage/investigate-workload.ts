// A workload alert's investigation: read the object, its revisions and pods (one selector list), diagnose the worst
// few pods on the pod path, and answer with their cause wrapped in the workload's state and what changed.
import type { Alert } from '../domain/alert.js';
import type { Target, TriageContext, WorkloadKind } from '../domain/context.js';
import { emptyContext, ok, unavailable } from '../domain/context.js';
import { diagnose } from '../domain/engine.js';
import { type PodDiagnosis, podCause, workloadFindings } from '../domain/workload/answer.js';
import { rolloutChange } from '../domain/workload/changes.js';
import { placementGaps } from '../domain/workload/placement.js';
import { failingPods, PODS_DIAGNOSED, podProblem } from '../domain/workload/pod-problems.js';
import { selectorText } from '../domain/workload/selector.js';
import type {
  FailingPod,
  NodePlacementSnapshot,
  RevisionSnapshot,
  WorkloadPod,
  WorkloadSnapshot,
  WorkloadState,
} from '../domain/workload/types.js';
import type { ClusterInspector } from '../ports.js';
import { gatherContext } from './gather.js';
import { withPrefetched } from './inspect-target.js';
import { type InvestigateDeps, type Investigation, scrubbed } from './investigate.js';

const POD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The container exit a Job's failed pod ended with, for quoting. */
function exitOf(p: WorkloadPod): string | undefined {
  for (const c of [...p.pod.initContainers, ...p.pod.containers]) {
    const t = c.terminated ?? c.lastTerminated;
    if (t && t.exitCode !== 0)
      return `container ${c.name} exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message.trim().slice(0, 200)}` : ''}`;
  }
  return undefined;
}

function failing(p: WorkloadPod): FailingPod {
  const exit = exitOf(p);
  return {
    name: p.pod.name,
    problem: podProblem(p.pod).label,
    ...(p.revisionHash ? { revisionHash: p.revisionHash } : {}),
    ...(exit ? { exit } : {}),
  };
}

/**
 * The revision label of the pods being rolled out to, as the pods carry it: the newest revision's hash (a
 * StatefulSet's pods carry the revision's whole name, its update revision), else the StatefulSet's update revision.
 */
function newestHash(object: WorkloadSnapshot, revisions: readonly RevisionSnapshot[]): string | undefined {
  const newest = revisions[0];
  if (object.kind === 'StatefulSet') return object.revision ?? newest?.name;
  if (newest) return newest.name.slice(newest.name.lastIndexOf('-') + 1);
  return object.revision;
}

interface Read {
  readonly revisions: readonly RevisionSnapshot[];
  readonly revisionsUnread?: string;
  readonly pods: readonly WorkloadPod[];
  readonly nodes?: readonly NodePlacementSnapshot[];
}

/** Where a kind keeps its pod template's revisions: ReplicaSets, or ControllerRevisions for the two sets. */
function revisionsOf(inspector: ClusterInspector, w: WorkloadSnapshot, selector: string) {
  if (w.kind === 'Deployment') return inspector.replicaSets(w.namespace, selector, w.uid);
  if (w.kind === 'StatefulSet' || w.kind === 'DaemonSet')
    return inspector.controllerRevisions(w.namespace, selector, w.uid);
  return undefined;
}

/**
 * One round of list calls, bounded whatever the replica count: the revisions (ReplicaSets or ControllerRevisions),
 * pods, and nodes for a DaemonSet. Revisions that cannot be read (no grant) are named unread, not fatal.
 */
async function readAround(inspector: ClusterInspector, podsOf: WorkloadSnapshot): Promise<Read> {
  const selector = podsOf.selector ? selectorText(podsOf.selector) : undefined;
  if (selector === undefined) return { revisions: [], pods: [] };
  const [revisions, pods, nodes] = await Promise.all([
    (revisionsOf(inspector, podsOf, selector) ?? Promise.resolve([])).then(
      (list): { list: readonly RevisionSnapshot[]; unread?: string } => ({ list }),
      (error: unknown) => ({ list: [], unread: reasonOf(error) }),
    ),
    inspector.podsMatching(podsOf.namespace, selector),
    podsOf.kind === 'DaemonSet'
      ? inspector.nodePlacements().catch(() => undefined)
      : Promise.resolve(undefined),
  ]);
  return {
    revisions: revisions.list,
    ...(revisions.unread !== undefined ? { revisionsUnread: revisions.unread } : {}),
    pods,
    ...(nodes ? { nodes } : {}),
  };
}

/** The revision the worst failing pod runs, so the change compared is the one the failures run on. */
const runningOf = (worst: readonly WorkloadPod[]) => worst[0]?.revisionHash;

export async function investigateWorkload(
  alert: Alert,
  target: Target,
  deps: InvestigateDeps,
): Promise<Investigation> {
  const gatheredAt = deps.now().toISOString();
  const base = emptyContext(target, 'a workload alert: its pods are diagnosed one by one', gatheredAt);
  const answer = (context: TriageContext): Investigation => ({
    context,
    findings: diagnose(alert, context, deps.signatures),
  });
  const namespace = target.namespace;
  const named = target.workload;
  if (!namespace || !named) return answer({ ...base, workload: unavailable('the alert names no workload') });

  let object: WorkloadSnapshot | undefined;
  try {
    object = await deps.inspector.workload(namespace, named.kind, named.name);
  } catch (error) {
    return answer({ ...base, workload: unavailable(reasonOf(error)) });
  }
  if (!object)
    return answer({
      ...base,
      workload: unavailable(`${named.kind} ${namespace}/${named.name} not found (deleted?)`),
    });

  // An HPA's pods are its scale target's; a PDB's are whatever its selector selects.
  let scaleTarget: WorkloadSnapshot | undefined;
  const ref = object.hpa?.scaleTarget;
  if (ref && POD_KINDS.has(ref.kind))
    scaleTarget = await deps.inspector
      .workload(namespace, ref.kind as WorkloadKind, ref.name)
      .catch(() => undefined);
  const podsOf = object.kind === 'HorizontalPodAutoscaler' ? scaleTarget : object;

  let read: Read = { revisions: [], pods: [] };
  let podsUnavailable: string | undefined;
  if (podsOf) {
    try {
      read = await readAround(deps.inspector, podsOf);
    } catch (error) {
      // The object alone still answers what it can (an HPA at its ceiling); what needed the pods is unchecked.
      podsUnavailable = `pods of ${podsOf.kind} ${podsOf.namespace}/${podsOf.name}: ${reasonOf(error)}`;
    }
  }
  const newest = podsOf ? newestHash(podsOf, read.revisions) : undefined;
  const worst = failingPods(read.pods, newest);
  const chosen = worst.slice(0, PODS_DIAGNOSED);

  const diagnoses: PodDiagnosis[] = await Promise.all(
    chosen.map(async (p): Promise<PodDiagnosis> => {
      const context = scrubbed(
        await gatherContext(
          { kind: 'pod', namespace: p.pod.namespace, pod: p.pod.name },
          withPrefetched(deps.inspector, { pod: p.pod }),
          { now: deps.now, nodeLogQueries: deps.nodeLogQueries ?? [] },
        ),
      );
      return { pod: p, findings: diagnose(alert, context, deps.signatures) };
    }),
  );
  deps.phases?.end('gather');

  const specificity = new Map(deps.signatures.map((s) => [s.id, s.specificity]));
  const cause = podCause(diagnoses, (id) => specificity.get(id) ?? 0);
  const change =
    podsOf?.kind === 'Deployment'
      ? rolloutChange(read.revisions)
      : podsOf?.kind === 'StatefulSet' || podsOf?.kind === 'DaemonSet'
        ? rolloutChange(read.revisions, runningOf(worst))
        : undefined;
  const placement =
    podsOf?.kind === 'DaemonSet' && podsOf.template && read.nodes
      ? placementGaps(
          podsOf.template,
          read.nodes,
          new Set(read.pods.flatMap((p) => (p.pod.nodeName ? [p.pod.nodeName] : []))),
        ).filter((g) => g.kind !== 'excluded')
      : undefined;
  const state: WorkloadState = {
    object,
    ...(scaleTarget ? { scaleTarget } : {}),
    revisions: read.revisions,
    ...(read.revisionsUnread !== undefined ? { revisionsUnread: read.revisionsUnread } : {}),
    podCount: read.pods.length,
    ...(podsUnavailable !== undefined ? { podsUnavailable } : {}),
    // Every failing pod is counted (the list call is bounded); evidence names only the first few.
    failing: worst.map(failing),
    ...(cause ? { podCause: { signatureId: cause.finding.signatureId, pods: cause.pods } } : {}),
    ...(placement ? { placement } : {}),
    ...(change ? { change } : {}),
  };
  const context: TriageContext = { ...base, workload: ok(state) };
  const own = diagnose(alert, context, deps.signatures);
  return {
    context,
    findings: workloadFindings({ state, diagnoses, failingPods: worst, ownFindings: own, cause }),
  };
}
