// Node-level context is the same for every alert of a storm on one node: read it once per short window.
import type {
  EventSnapshot,
  MetricValues,
  NodePortSnapshot,
  NodeSnapshot,
  PeerPod,
  PodSnapshot,
  WorkloadKind,
} from '../domain/context.js';
import type { MetricQuery } from '../domain/metric-queries.js';
import type { ClusterNode, StorageClassSnapshot } from '../domain/subject-context.js';
import type {
  NodePlacementSnapshot,
  RevisionSnapshot,
  WorkloadPod,
  WorkloadSnapshot,
} from '../domain/workload/types.js';
import type { ClusterInspector } from '../ports.js';

interface Entry {
  readonly at: number;
  readonly value: Promise<unknown>;
}

/**
 * Caches node, node events, pods on the node and Services for `ttlMs` (pod reads and metrics are per alert).
 * A failed read is not cached, so the next alert tries again.
 */
export class CachingInspector implements ClusterInspector {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: ClusterInspector,
    private readonly ttlMs = 30_000,
    private readonly clock: () => number = Date.now,
  ) {}

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = read();
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > 500) this.evict(now);
    return value;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }

  pod(namespace: string, name: string): Promise<PodSnapshot | undefined> {
    return this.inner.pod(namespace, name);
  }
  podEvents(namespace: string, name: string): Promise<EventSnapshot[]> {
    return this.inner.podEvents(namespace, name);
  }
  node(name: string): Promise<NodeSnapshot | undefined> {
    return this.cached(`node:${name}`, () => this.inner.node(name));
  }
  nodeEvents(name: string): Promise<EventSnapshot[]> {
    return this.cached(`node-events:${name}`, () => this.inner.nodeEvents(name));
  }
  podsOnNode(name: string): Promise<PeerPod[]> {
    return this.cached(`pods-on:${name}`, () => this.inner.podsOnNode(name));
  }
  nodeLog(node: string, query: string, tailLines: number): Promise<string | undefined> {
    return this.cached(`node-log:${node}:${query}:${tailLines}`, () =>
      this.inner.nodeLog(node, query, tailLines),
    );
  }
  nodePorts(): Promise<NodePortSnapshot[]> {
    return this.cached('node-ports', () => this.inner.nodePorts());
  }
  previousLog(
    namespace: string,
    pod: string,
    container: string,
    tailLines: number,
  ): Promise<string | undefined> {
    return this.inner.previousLog(namespace, pod, container, tailLines);
  }
  metrics(queries: readonly MetricQuery[]): Promise<MetricValues> {
    return this.inner.metrics(queries);
  }
  // Workload objects and their pods are per alert; only the nodes' placement data is shared like node reads.
  workload(namespace: string, kind: WorkloadKind, name: string): Promise<WorkloadSnapshot | undefined> {
    return this.inner.workload(namespace, kind, name);
  }
  replicaSets(
    namespace: string,
    selector: string,
    ownerUid: string | undefined,
  ): Promise<RevisionSnapshot[]> {
    return this.inner.replicaSets(namespace, selector, ownerUid);
  }
  podsMatching(namespace: string, selector: string): Promise<WorkloadPod[]> {
    return this.inner.podsMatching(namespace, selector);
  }
  nodePlacements(): Promise<NodePlacementSnapshot[]> {
    return this.cached('node-placements', () => this.inner.nodePlacements());
  }
  // Subjects: the node list and storage classes are shared by every alert of a storm; the rest is per alert.
  clusterNodes(): Promise<ClusterNode[]> {
    return this.cached('cluster-nodes', () => this.inner.clusterNodes());
  }
  storageClass(name: string): Promise<StorageClassSnapshot | undefined> {
    return this.cached(`storage-class:${name}`, () => this.inner.storageClass(name));
  }
  persistentVolumeClaim = (namespace: string, name: string) =>
    this.inner.persistentVolumeClaim(namespace, name);
  persistentVolume = (name: string) => this.inner.persistentVolume(name);
  podsMountingClaim = (namespace: string, claim: string) => this.inner.podsMountingClaim(namespace, claim);
  claimEvents = (namespace: string, claim: string) => this.inner.claimEvents(namespace, claim);
  resourceQuota = (namespace: string, name: string) => this.inner.resourceQuota(namespace, name);
  failedCreateEvents = (namespace: string) => this.inner.failedCreateEvents(namespace);
}
