// A pod that failed writing "no space left on device": the fullest claim it mounts joins its evidence.
import { claimQueries } from '../domain/alert-queries.js';
import type { MetricValues, Target, TriageContext } from '../domain/context.js';
import { ok } from '../domain/context.js';
import type { ClusterInspector } from '../ports.js';
import { readClaim } from './investigate-subject.js';

const NO_SPACE = /no space left on device|ENOSPC/i;

/** The claims read at most: a pod with more volumes than this is rare, and each costs one Prometheus request. */
const MAX_CLAIMS = 3;

/** Where the pod said it ran out of space: the crashed instance's log or a container's termination message. */
function saysNoSpace(context: TriageContext): boolean {
  if (context.previousLog.status === 'ok' && NO_SPACE.test(context.previousLog.value)) return true;
  if (context.pod.status !== 'ok') return false;
  return [...context.pod.value.containers, ...context.pod.value.initContainers].some((c) =>
    NO_SPACE.test(c.lastTerminated?.message ?? ''),
  );
}

const usedRatio = (m: MetricValues): number | undefined => {
  const avail = m.pvcAvailableBytes;
  const size = m.pvcCapacityBytes;
  return avail === null || avail === undefined || !size ? undefined : 1 - avail / size;
};

/**
 * Only when the pod says it ran out of space and mounts claims: their volume stats (one request each, in parallel),
 * and the fullest claim read like a claim alert's subject. With no stats, a single claim is still read (its
 * fullness then stays unknown); with several and no stats, none is picked, since nothing tells them apart.
 */
export async function withMountedClaim(
  context: TriageContext,
  inspector: ClusterInspector,
): Promise<TriageContext> {
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  const claims = pod?.claims?.slice(0, MAX_CLAIMS) ?? [];
  if (!pod || claims.length === 0 || !saysNoSpace(context)) return context;
  const stats = await Promise.all(
    claims.map((claim) =>
      inspector.metrics(claimQueries(pod.namespace, claim)).then(
        (values) => ({ claim, values, ratio: usedRatio(values) }),
        () => ({ claim, values: undefined, ratio: undefined }),
      ),
    ),
  );
  const measured = stats.filter((s) => s.ratio !== undefined).sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0));
  const chosen = measured[0] ?? (stats.length === 1 ? stats[0] : undefined);
  if (!chosen) return context;
  const claimTarget: Target = { kind: 'pvc', namespace: pod.namespace, pvc: chosen.claim };
  const claim = await readClaim(inspector, claimTarget);
  const metrics =
    context.metrics.status === 'ok' && chosen.values
      ? ok({ ...context.metrics.value, ...chosen.values })
      : context.metrics;
  return { ...context, claim, metrics };
}
