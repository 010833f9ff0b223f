// What changed: a workload's revision (ReplicaSet or ControllerRevision) against the one before, and when the failures began.
import type { PodSnapshot } from '../context.js';
import type { RevisionSnapshot, TemplateContainer, TemplateSummary } from './types.js';

export interface RolloutChange {
  readonly previous: RevisionSnapshot;
  readonly current: RevisionSnapshot;
  /** `image shop/api:1.4.2 → 1.4.3 (container api)`, `env LOG_LEVEL: info → debug`, ... empty if only metadata. */
  readonly changes: readonly string[];
}

/** `shop/api:1.4.2 → 1.4.3` when only the tag moved, else both references in full. */
export function imageChange(from: string, to: string): string {
  const tagAt = (ref: string) => {
    const slash = ref.lastIndexOf('/');
    const at = ref.search(/[:@][^/]*$/);
    return at > slash ? at : -1;
  };
  const a = tagAt(from);
  const b = tagAt(to);
  if (a > 0 && b > 0 && from.slice(0, a) === to.slice(0, b)) return `${from} → ${to.slice(b + 1)}`;
  return `${from} → ${to}`;
}

/** The key of an `env`/`resources` entry: `LOG_LEVEL=debug` and `LOG_LEVEL from secret/x.y` share `LOG_LEVEL`. */
const keyOf = (entry: string) => entry.split(/=| from /, 1)[0] ?? entry;
const entryValue = (entry: string) => entry.slice(keyOf(entry).length).replace(/^=/, '').trim() || '(empty)';

/** `resources limits.cpu 500m → 4`, `env +FEATURE_X=on -OLD_FLAG`: what a keyed list gained, lost or changed. */
function listChange(what: string, before: readonly string[], after: readonly string[]): string[] {
  const parts: string[] = [];
  for (const entry of after) {
    if (before.includes(entry)) continue;
    const old = before.find((b) => keyOf(b) === keyOf(entry));
    parts.push(old ? `${keyOf(entry)} ${entryValue(old)} → ${entryValue(entry)}` : `+${entry}`);
  }
  for (const entry of before) if (!after.some((a) => keyOf(a) === keyOf(entry))) parts.push(`-${entry}`);
  return parts.length === 0 ? [] : [`${what} ${parts.join(', ')}`];
}

function containerChanges(prefix: string, before: TemplateContainer, after: TemplateContainer): string[] {
  const out: string[] = [];
  const at = ` (${prefix}${after.name})`;
  if (before.image !== after.image) out.push(`image ${imageChange(before.image, after.image)}${at}`);
  const cmd = (c: TemplateContainer) => [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (cmd(before) !== cmd(after))
    out.push(`command \`${cmd(before) || '(image default)'}\` → \`${cmd(after) || '(image default)'}\`${at}`);
  for (const line of [
    ...listChange('env', before.env, after.env),
    ...listChange('envFrom', before.envFrom, after.envFrom),
    ...listChange('resources', before.resources, after.resources),
  ])
    out.push(`${line}${at}`);
  return out;
}

function templateChanges(before: TemplateSummary, after: TemplateSummary): string[] {
  const out: string[] = [];
  for (const [prefix, a, b] of [
    ['', before.containers, after.containers],
    ['init ', before.initContainers, after.initContainers],
  ] as const) {
    for (const c of b) {
      const old = a.find((x) => x.name === c.name);
      out.push(
        ...(old ? containerChanges(prefix, old, c) : [`${prefix}container ${c.name} added (${c.image})`]),
      );
    }
    for (const c of a)
      if (!b.some((x) => x.name === c.name)) out.push(`${prefix}container ${c.name} removed`);
  }
  out.push(...listChange('volumes', before.volumes, after.volumes));
  return out;
}

/**
 * Whether a pod's revision label names this revision. A Deployment's `pod-template-hash` and a DaemonSet's
 * `controller-revision-hash` are the hash that ends the revision's name; a StatefulSet's label is the whole name.
 */
export function runsRevision(revisionHash: string | undefined, revisionName: string): boolean {
  if (!revisionHash) return false;
  return revisionHash === revisionName || revisionName.endsWith(`-${revisionHash}`);
}

/**
 * The revision the failing pods run (`running`, a pod's revision label; the newest when absent or not recorded)
 * against the one before it; undefined without an earlier revision.
 */
export function rolloutChange(
  revisions: readonly RevisionSnapshot[],
  running?: string,
): RolloutChange | undefined {
  const sorted = [...revisions].sort((a, b) => b.revision - a.revision);
  const at = Math.max(0, running ? sorted.findIndex((r) => runsRevision(running, r.name)) : 0);
  const current = sorted[at];
  const previous = sorted[at + 1];
  if (!current || !previous) return undefined;
  return { current, previous, changes: templateChanges(previous.template, current.template) };
}

/**
 * When a failing pod began failing: exactly when its first termination is the recorded one (at most one restart) or
 * it never ran (waiting or pending since creation); otherwise the latest termination is only an upper bound.
 */
function failureStart(pod: PodSnapshot): { readonly at: string; readonly exact: boolean } | undefined {
  const ended = [...pod.containers, ...pod.initContainers].flatMap((c) => {
    const t = c.lastTerminated ?? c.terminated;
    return t?.finishedAt ? [{ at: t.finishedAt, exact: c.restartCount <= 1 }] : [];
  });
  const first = ended.sort((a, b) => a.at.localeCompare(b.at))[0];
  if (first) return first;
  return pod.createdAt ? { at: pod.createdAt, exact: true } : undefined;
}

/** A rollout this close before the failures is taken as their likely trigger. */
export const RECENT_ROLLOUT_MS = 60 * 60_000;

/** `7 minutes`, `5 hours`, `3 days`. */
export function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (m < 120) return unit(m, 'minute');
  const h = Math.round(m / 60);
  return h < 48 ? unit(h, 'hour') : unit(Math.round(h / 24), 'day');
}

interface Gap {
  /** Milliseconds from the rollout to the first failure (an upper bound when not `exact`). */
  readonly ms: number;
  readonly exact: boolean;
}

/** From the rollout of the current revision to the earliest failure seen; undefined if either is unknown. */
export function failureGap(change: RolloutChange, failing: readonly PodSnapshot[]): Gap | undefined {
  const rolloutAt = change.current.createdAt;
  const starts = failing.flatMap((p) => {
    const s = failureStart(p);
    return s ? [s] : [];
  });
  const first = starts.sort((a, b) => a.at.localeCompare(b.at))[0];
  if (!rolloutAt || !first) return undefined;
  const ms = Date.parse(first.at) - Date.parse(rolloutAt);
  return Number.isFinite(ms) ? { ms, exact: first.exact } : undefined;
}

/**
 * `began 7 minutes after rollout to revision 42: image shop/api:1.4.2 → 1.4.3` (`within 7 minutes` when only the
 * latest of several failures is recorded); for a rollout long before the failures, when it was and what it changed,
 * without blaming it; undefined without a rollout or a failure time.
 */
export function timingLine(change: RolloutChange, failing: readonly PodSnapshot[]): string | undefined {
  const gap = failureGap(change, failing);
  if (gap === undefined) return undefined;
  const what =
    change.changes.length > 0 ? `: ${change.changes.join('; ')}` : ' (no change to the pod template)';
  const to = `revision ${change.current.revision}`;
  if (gap.ms < 0)
    return `began ${duration(-gap.ms)} before the rollout to ${to}, so the rollout did not start it`;
  if (gap.ms < 60_000) return `began with the rollout to ${to}${what}`;
  if (gap.ms <= RECENT_ROLLOUT_MS)
    return gap.exact
      ? `began ${duration(gap.ms)} after rollout to ${to}${what}`
      : `began within ${duration(gap.ms)} of the rollout to ${to}${what}`;
  return `the last rollout, to ${to}, was ${duration(gap.ms)} before the ${gap.exact ? 'first' : 'latest recorded'} failure${what}`;
}

/**
 * A rollback fits when the failures began within the hour after the rollout, the failing pods all run the newest
 * revision, and the previous one is still recorded.
 */
export function rollbackFits(
  change: RolloutChange,
  failing: readonly { pod: PodSnapshot; revisionHash?: string }[],
): boolean {
  const gap = failureGap(
    change,
    failing.map((f) => f.pod),
  );
  return (
    change.previous.revision > 0 &&
    failing.length > 0 &&
    failing.every((f) => runsRevision(f.revisionHash, change.current.name)) &&
    gap !== undefined &&
    gap.ms >= 0 &&
    gap.ms <= RECENT_ROLLOUT_MS
  );
}
