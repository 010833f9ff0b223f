// What changed: the newest revision of a Deployment against the one before, and when the failures began after it.
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

function listChange(what: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  if (added.length === 0 && removed.length === 0) return [];
  const parts = [...removed.map((x) => `-${x}`), ...added.map((x) => `+${x}`)];
  return [`${what} ${parts.join(' ')}`];
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

/** The newest revision against the previous one; undefined with fewer than two revisions. */
export function rolloutChange(revisions: readonly RevisionSnapshot[]): RolloutChange | undefined {
  const sorted = [...revisions].sort((a, b) => b.revision - a.revision);
  const [current, previous] = sorted;
  if (!current || !previous) return undefined;
  return { current, previous, changes: templateChanges(previous.template, current.template) };
}

/** When a failing pod was first seen failing: its first recorded termination, else its creation. */
function failureStart(pod: PodSnapshot): string | undefined {
  const times = [...pod.containers, ...pod.initContainers]
    .flatMap((c) => [c.lastTerminated?.finishedAt, c.terminated?.finishedAt])
    .filter((t): t is string => t !== undefined)
    .sort();
  return times[0] ?? pod.createdAt;
}

const minutes = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return m === 1 ? '1 minute' : `${m} minutes`;
};

/**
 * `began 7 minutes after rollout to revision 42: image shop/api:1.4.2 → 1.4.3`, or that the failures began before
 * it; undefined without a rollout time or a failure time.
 */
export function timingLine(change: RolloutChange, failing: readonly PodSnapshot[]): string | undefined {
  const rolloutAt = change.current.createdAt;
  const starts = failing
    .map(failureStart)
    .filter((t): t is string => t !== undefined)
    .sort();
  const first = starts[0];
  if (!rolloutAt || !first) return undefined;
  const gap = Date.parse(first) - Date.parse(rolloutAt);
  if (!Number.isFinite(gap)) return undefined;
  const what =
    change.changes.length > 0 ? `: ${change.changes.join('; ')}` : ' (no change to the pod template)';
  if (gap >= 0) return `began ${minutes(gap)} after rollout to revision ${change.current.revision}${what}`;
  return `began ${minutes(-gap)} before the rollout to revision ${change.current.revision}, so the rollout did not start it`;
}

/** A rollback fits when the failing pods all run the newest revision and the previous one is still recorded. */
export function rollbackFits(change: RolloutChange, failingHashes: readonly (string | undefined)[]): boolean {
  const hash = change.current.name.slice(change.current.name.lastIndexOf('-') + 1);
  return change.previous.revision > 0 && failingHashes.length > 0 && failingHashes.every((h) => h === hash);
}
