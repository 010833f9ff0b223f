// Node-level context is the same for every alert of a storm on one node: read it once per short window.
import type { ClusterInspector } from '../ports.js';
import { wrapInspector } from './wrap-inspector.js';

interface Entry {
  readonly at: number;
  readonly value: Promise<unknown>;
}

/**
 * The reads shared by every alert of a storm: the node and what is on it, the Services, and (for workload and
 * subject alerts) the nodes' placement data, the node list and storage classes. Pod reads, logs, metrics,
 * workload objects and claims are per alert and always read.
 */
const SHARED: ReadonlySet<keyof ClusterInspector> = new Set<keyof ClusterInspector>([
  'node',
  'nodeEvents',
  'podsOnNode',
  'nodeLog',
  'nodePorts',
  'nodePlacements',
  'clusterNodes',
  'storageClass',
]);

/**
 * Caches the shared reads for `ttlMs`; concurrent callers share one request. A failed read is not cached, so the
 * next alert tries again.
 */
export function cachingInspector(
  inner: ClusterInspector,
  ttlMs = 30_000,
  clock: () => number = Date.now,
): ClusterInspector {
  const entries = new Map<string, Entry>();
  const evict = (now: number) => {
    for (const [key, entry] of entries) if (now - entry.at >= ttlMs) entries.delete(key);
  };
  return wrapInspector(inner, (method, args, call) => {
    if (!SHARED.has(method as keyof ClusterInspector)) return call();
    const key = JSON.stringify([method, ...args]);
    const now = clock();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value;
    const value = call();
    entries.set(key, { at: now, value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    if (entries.size > 500) evict(now);
    return value;
  });
}
