// From an alert's subject to evidence and findings: the one path that triage and the accuracy run share.
import type { Alert } from '../domain/alert.js';
import type { Target, TriageContext } from '../domain/context.js';
import { ok } from '../domain/context.js';
import { diagnose } from '../domain/engine.js';
import { redact } from '../domain/redact.js';
import type { Finding, Signature } from '../domain/signature.js';
import type { ClusterInspector } from '../ports.js';
import { type GatherOptions, gatherContext } from './gather.js';
import { alertGatherOptions, gatherSubject } from './investigate-subject.js';
import { investigateWorkload } from './investigate-workload.js';
import { withMountedClaim } from './mounted-claim.js';
import { ownerRollout } from './owner-rollout.js';
import type { Phases } from './phases.js';

export interface InvestigateDeps {
  readonly inspector: ClusterInspector;
  readonly signatures: readonly Signature[];
  /** The optional node log query: services or /var/log files to read on the node (empty: off). */
  readonly nodeLogQueries?: readonly string[];
  readonly now: () => Date;
  /** Times the gathering and the diagnosis separately when given. */
  readonly phases?: Phases;
}

export interface Investigation {
  /** The context the findings were drawn from (credentials in logs already masked). */
  readonly context: TriageContext;
  /** Best first; empty when nothing was proven. */
  readonly findings: readonly Finding[];
}

/** Log lines are quoted as evidence and stored: credentials in them are masked before anything reads them. */
export function scrubbed(context: TriageContext): TriageContext {
  return {
    ...context,
    ...(context.previousLog.status === 'ok' ? { previousLog: ok(redact(context.previousLog.value)) } : {}),
    ...(context.nodeLog.status === 'ok' ? { nodeLog: ok(redact(context.nodeLog.value)) } : {}),
  };
}

export async function investigate(
  alert: Alert,
  target: Target,
  deps: InvestigateDeps,
): Promise<Investigation> {
  if (target.kind === 'workload') return investigateWorkload(alert, target, deps);
  const options: GatherOptions = {
    now: deps.now,
    nodeLogQueries: deps.nodeLogQueries ?? [],
    ...alertGatherOptions(alert, target),
  };
  let gathered: TriageContext;
  switch (target.kind) {
    case 'pvc':
    case 'node':
    case 'namespace':
    case 'cluster':
      gathered = await gatherSubject(alert, target, deps.inspector, options);
      break;
    default:
      gathered = await withMountedClaim(await gatherContext(target, deps.inspector, options), deps.inspector);
  }
  const context = scrubbed(gathered);
  deps.phases?.end('gather');
  const findings = diagnose(alert, context, deps.signatures);
  return {
    context,
    findings: target.kind === 'pod' ? await ownerRollout(context, findings, deps.inspector) : findings,
  };
}
