// On-demand triage of one pod or node, without an alert: gather context and diagnose, record nothing, notify no one.
import type { Alert } from '../domain/alert.js';
import type { NodeSnapshot, PodSnapshot, Target, TriageContext } from '../domain/context.js';
import { ok } from '../domain/context.js';
import { diagnose } from '../domain/engine.js';
import { unavailablePieces } from '../domain/incident.js';
import { redact } from '../domain/redact.js';
import type { Finding, Signature } from '../domain/signature.js';
import type { ClusterInspector } from '../ports.js';
import { gatherContext } from './gather.js';
import { wrapInspector } from './wrap-inspector.js';

/** The alert name an on-demand triage runs under: signatures restricted to named alerts do not apply. */
export const ON_DEMAND_ALERT = 'TriageCommand';

export interface InspectDeps {
  readonly inspector: ClusterInspector;
  readonly signatures: () => Promise<readonly Signature[]>;
  readonly now?: () => Date;
}

export type Inspection =
  | { readonly found: false; readonly target: Target }
  | {
      readonly found: true;
      readonly target: Target;
      readonly context: TriageContext;
      readonly findings: readonly Finding[];
      /** Pieces of context that could not be read, with the reason. */
      readonly unavailable: readonly string[];
    };

/** Serves the pod or node already read back to gatherContext, so the existence check costs no second call. */
export function withPrefetched(
  inner: ClusterInspector,
  known: { pod?: PodSnapshot; node?: NodeSnapshot },
): ClusterInspector {
  return wrapInspector(inner, (method, args, call) => {
    const [first, second] = args;
    if (method === 'pod' && known.pod && known.pod.namespace === first && known.pod.name === second)
      return Promise.resolve(known.pod);
    if (method === 'node' && known.node && known.node.name === first) return Promise.resolve(known.node);
    return call();
  });
}

function syntheticAlert(target: Target, now: Date): Alert {
  const labels: Record<string, string> = { alertname: ON_DEMAND_ALERT };
  if (target.namespace) labels.namespace = target.namespace;
  if (target.pod) labels.pod = target.pod;
  if (target.node) labels.node = target.node;
  return {
    status: 'firing',
    labels,
    annotations: {},
    startsAt: now.toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint: 'on-demand',
  };
}

/**
 * Reads the pod (or node) first: a missing one is an answer of its own, and a cluster that cannot be read throws
 * DependencyError here rather than producing a diagnosis made of unavailable pieces.
 */
export async function inspectTarget(
  target: { kind: 'pod'; namespace: string; pod: string } | { kind: 'node'; node: string },
  deps: InspectDeps,
): Promise<Inspection> {
  const now = deps.now ?? (() => new Date());
  let inspector: ClusterInspector;
  if (target.kind === 'pod') {
    const pod = await deps.inspector.pod(target.namespace, target.pod);
    if (!pod) return { found: false, target };
    inspector = withPrefetched(deps.inspector, { pod });
  } else {
    const node = await deps.inspector.node(target.node);
    if (!node) return { found: false, target };
    inspector = withPrefetched(deps.inspector, { node });
  }
  const gathered = await gatherContext(target, inspector, { now });
  // Log lines are quoted as evidence; credentials in them stay out of Slack, as in alert triage.
  const context =
    gathered.previousLog.status === 'ok'
      ? { ...gathered, previousLog: ok(redact(gathered.previousLog.value)) }
      : gathered;
  const findings = diagnose(syntheticAlert(target, now()), context, await deps.signatures());
  return { found: true, target, context, findings, unavailable: unavailablePieces(context) };
}
