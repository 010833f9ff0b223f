// A workload alert's answer: the cause found in its worst pods, wrapped in the workload's state and what changed.
import { podCauseDetail } from '../facts/workload-object-facts.js';
import type { Evidence, Finding } from '../signature.js';
import { rollbackFits, timingLine } from './changes.js';
import { describeFailures } from './pod-problems.js';
import { conditionText, kubectlName, stateLine } from './state.js';
import type { WorkloadPod, WorkloadState } from './types.js';

/** One diagnosed pod and the findings the pod catalog proved for it, best first. */
export interface PodDiagnosis {
  readonly pod: WorkloadPod;
  readonly findings: readonly Finding[];
}

/** Below this specificity a pod finding names a mechanism (exit 1, a crash loop), not a cause, unless a log proves it. */
const CAUSE_SPECIFICITY = 30;
/** Failing pods named in evidence; the rest are counted. */
const NAMED_PODS = 5;

/**
 * The pod-level cause: the worst diagnosed pod's top finding, when it is specific or quotes the application's log,
 * and every diagnosed pod that showed the same signature.
 */
export function podCause(
  diagnoses: readonly PodDiagnosis[],
  specificityOf: (signatureId: string) => number,
): { readonly finding: Finding; readonly pods: readonly string[] } | undefined {
  for (const d of diagnoses) {
    const top = d.findings[0];
    if (!top) continue;
    const proven =
      specificityOf(top.signatureId) >= CAUSE_SPECIFICITY || top.evidence.some((e) => e.source === 'logs');
    if (!proven) continue;
    const pods = diagnoses
      .filter((o) => o.findings[0]?.signatureId === top.signatureId)
      .map((o) => o.pod.pod.name);
    return { finding: top, pods };
  }
  return undefined;
}

/** `deployment/payments/checkout-api`. */
export function workloadLabel(state: WorkloadState): string {
  const w = state.object;
  return `${w.kind.toLowerCase()}/${w.namespace}/${w.name}`;
}

/** `deployment/payments/checkout-api: 2 of 3 replicas unavailable: both OOMKilled at 512Mi`. */
export function headline(state: WorkloadState): string {
  const line = stateLine(state.object);
  const failing =
    state.failing.length > 0 ? `: ${describeFailures(state.failing.map((p) => p.problem))}` : '';
  return `${workloadLabel(state)}: ${line}${failing}`;
}

function failingPodsLine(state: WorkloadState, diagnosed: number): string {
  const named = state.failing.slice(0, NAMED_PODS).map((p) => `${p.name} (${p.problem})`);
  const more = state.failing.length - named.length;
  const tail = more > 0 ? ` and ${more} more` : '';
  return `${state.failing.length} of ${state.podCount} pods failing: ${named.join(', ')}${tail}; ${diagnosed} diagnosed in full`;
}

/** The workload's state as evidence: replicas, the conditions that are not well, failing pods, what changed. */
export function workloadEvidence(state: WorkloadState, diagnosed: number): Evidence[] {
  const out: Evidence[] = [{ source: 'workload', detail: headline(state) }];
  for (const w of [state.object, ...(state.scaleTarget ? [state.scaleTarget] : [])]) {
    if (w !== state.object)
      out.push({ source: 'workload', detail: `${kubectlName(w.kind, w.name)}: ${stateLine(w)}` });
    for (const c of w.conditions) {
      const bad =
        (c.type === 'Progressing' && c.status === 'False') ||
        (c.type === 'Available' && c.status === 'False') ||
        (c.type === 'Failed' && c.status === 'True') ||
        (c.type === 'ScalingLimited' && c.status === 'True') ||
        (c.type === 'ReplicaFailure' && c.status === 'True');
      if (bad)
        out.push({ source: 'workload', detail: `${w.kind.toLowerCase()}/${w.name} ${conditionText(c)}` });
    }
  }
  if (state.failing.length > 0) out.push({ source: 'workload', detail: failingPodsLine(state, diagnosed) });
  if (state.revisionsUnread !== undefined)
    out.push({
      source: 'workload',
      detail: `revisions unread, so what the last rollout changed is unknown: ${state.revisionsUnread}`,
    });
  return out;
}

/** The change and its timing as one evidence line (and a sentence for the summary). */
export function changeSentence(
  state: WorkloadState,
  failingPods: readonly WorkloadPod[],
): string | undefined {
  const change = state.change;
  if (!change) return undefined;
  const timing = timingLine(
    change,
    failingPods.map((p) => p.pod),
  );
  if (timing) return timing;
  if (change.changes.length === 0) return undefined;
  return `what changed in revision ${change.current.revision} (from ${change.previous.revision}): ${change.changes.join('; ')}`;
}

/** The kinds `kubectl rollout undo --to-revision` rolls back (StatefulSets and DaemonSets via ControllerRevisions). */
const UNDOABLE: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function rollbackStep(state: WorkloadState, failingPods: readonly WorkloadPod[]): string | undefined {
  const change = state.change;
  const w = state.object;
  if (!change || !UNDOABLE.has(w.kind)) return undefined;
  if (!rollbackFits(change, failingPods)) return undefined;
  const undo = `The failures began after the rollout and only the new revision fails: roll back to revision ${change.previous.revision} while you fix it: \`kubectl rollout undo ${w.kind.toLowerCase()}/${w.name} -n ${w.namespace} --to-revision=${change.previous.revision}\``;
  if (w.kind !== 'StatefulSet') return `${undo}.`;
  // With OrderedReady a StatefulSet waits for the broken pod to become Ready before it replaces it, which it never
  // does: the Kubernetes docs' "forced rollback" deletes the pods the bad revision already created.
  const which =
    failingPods.length <= NAMED_PODS
      ? failingPods.map((p) => p.pod.name).join(' ')
      : `-l controller-revision-hash=${change.current.name}`;
  return `${undo}, then delete the pods already on the bad revision, which the StatefulSet will not replace by itself: \`kubectl delete pod ${which} -n ${w.namespace}\`.`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function wrap(
  finding: Finding,
  lead: string,
  extra: readonly Evidence[],
  rollback: string | undefined,
): Finding {
  return {
    ...finding,
    summary: `${lead} ${finding.summary}`,
    evidence: [
      ...finding.evidence,
      ...extra.filter((e) => !finding.evidence.some((f) => f.detail === e.detail)),
    ],
    remediation: rollback ? [rollback, ...finding.remediation] : finding.remediation,
  };
}

/**
 * Findings best first: the proven pod-level cause (in the workload's state), then the workload's own signatures,
 * then the other pod findings. A workload signature outranks a proven pod-level cause only when it quotes that
 * cause as its own evidence, i.e. it names why the pods fail that way (an HPA at its maximum under load whose
 * pods are OOM-killed).
 */
export function workloadFindings(input: {
  readonly state: WorkloadState;
  readonly diagnoses: readonly PodDiagnosis[];
  readonly failingPods: readonly WorkloadPod[];
  readonly ownFindings: readonly Finding[];
  readonly cause: { readonly finding: Finding; readonly pods: readonly string[] } | undefined;
}): Finding[] {
  const { state, diagnoses, failingPods, ownFindings, cause } = input;
  const change = changeSentence(state, failingPods);
  const evidence = [
    ...workloadEvidence(state, diagnoses.length),
    ...(change ? [{ source: 'workload' as const, detail: change }] : []),
  ];
  if (cause && cause.pods.length > 1)
    evidence.push({
      source: 'workload',
      detail: `${cause.finding.signatureId} in ${cause.pods.length} of ${diagnoses.length} diagnosed pods: ${cause.pods.join(', ')}`,
    });
  const lead = `${headline(state)}.${change ? ` ${capital(change)}.` : ''}`;
  const rollback = rollbackStep(state, failingPods);
  const seen = new Set<string>();
  const out: Finding[] = [];
  const add = (f: Finding) => {
    if (seen.has(f.signatureId)) return;
    seen.add(f.signatureId);
    out.push(f);
  };
  // A workload signature's summary already states the workload; what changed follows it.
  const addOwn = (f: Finding) => {
    const wrapped = wrap(f, '', evidence, rollback);
    add(change ? { ...wrapped, summary: `${wrapped.summary.trim()} ${capital(change)}.` } : wrapped);
  };
  const quoted = cause ? podCauseDetail(cause.finding.signatureId, cause.pods) : undefined;
  const explainsCause = (f: Finding) => f.evidence.some((e) => e.detail === quoted);
  for (const f of ownFindings) if (explainsCause(f)) addOwn(f);
  if (cause) add(wrap(cause.finding, lead, evidence, rollback));
  for (const f of ownFindings) addOwn(f);
  for (const d of diagnoses) for (const f of d.findings) add(wrap(f, lead, evidence, rollback));
  return out.map((f) => ({ ...f, summary: f.summary.trim() }));
}
