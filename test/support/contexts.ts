// Plain-object builders for domain tests: an alert and a TriageContext with sensible healthy defaults.
import type { Alert } from '../../src/domain/alert.js';
import type {
  ContainerSnapshot,
  EventSnapshot,
  MetricValues,
  NodePortSnapshot,
  NodeSnapshot,
  PeerPod,
  PodSnapshot,
  TriageContext,
} from '../../src/domain/context.js';
import { ok, type Piece } from '../../src/domain/context.js';

export const NODE = 'ip-10-20-3-41.eu-west-1.compute.internal';

export function alert(labels: Record<string, string> = {}, status: 'firing' | 'resolved' = 'firing'): Alert {
  return {
    status,
    labels: {
      alertname: 'KubePodCrashLooping',
      namespace: 'payments',
      pod: 'checkout-api-7d9f8c6b5-x2x7q',
      container: 'checkout-api',
      severity: 'warning',
      ...labels,
    },
    annotations: { summary: 'Pod is crash looping.' },
    startsAt: '2026-11-23T08:23:36.014Z',
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-23T09:05:12Z',
    generatorURL: 'http://prometheus-k8s-0:9090/graph',
    fingerprint: 'b709ea564d7a1c55',
  };
}

export function container(overrides: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
  return {
    name: 'checkout-api',
    image: 'registry.example.com/payments/checkout-api:2.14.1',
    ready: true,
    restartCount: 0,
    ...overrides,
  };
}

export function pod(containers: ContainerSnapshot[] = [container()]): PodSnapshot {
  return {
    namespace: 'payments',
    name: 'checkout-api-7d9f8c6b5-x2x7q',
    uid: '3f6d2b9e',
    nodeName: NODE,
    phase: 'Running',
    conditions: [],
    containers,
    initContainers: [],
    ownerKind: 'ReplicaSet',
    ownerName: 'checkout-api-7d9f8c6b5',
    finalizers: [],
  };
}

export function node(conditions: Record<string, string> = {}): NodeSnapshot {
  const all = {
    Ready: 'True',
    MemoryPressure: 'False',
    DiskPressure: 'False',
    PIDPressure: 'False',
    ...conditions,
  };
  return {
    name: NODE,
    conditions: Object.entries(all).map(([type, status]) => ({ type, status })),
    taints: [],
    unschedulable: false,
  };
}

export function event(reason: string, message: string, type = 'Warning', count = 1): EventSnapshot {
  return { type, reason, message, count, involvedKind: 'Pod', involvedName: 'checkout-api-7d9f8c6b5-x2x7q' };
}

export function context(
  parts: {
    pod?: Piece<PodSnapshot>;
    podEvents?: EventSnapshot[];
    node?: Piece<NodeSnapshot>;
    nodeEvents?: EventSnapshot[];
    peers?: PeerPod[];
    previousLog?: Piece<string>;
    metrics?: Piece<MetricValues>;
    nodePorts?: Piece<readonly NodePortSnapshot[]>;
    nodeLog?: Piece<string>;
    gatheredAt?: string;
    target?: TriageContext['target'];
  } = {},
): TriageContext {
  return {
    target: parts.target ?? {
      kind: 'pod',
      namespace: 'payments',
      pod: 'checkout-api-7d9f8c6b5-x2x7q',
      container: 'checkout-api',
    },
    pod: parts.pod ?? ok(pod()),
    podEvents: ok(parts.podEvents ?? []),
    node: parts.node ?? ok(node()),
    nodeEvents: ok(parts.nodeEvents ?? []),
    peers: ok(parts.peers ?? []),
    previousLog: parts.previousLog ?? ok(''),
    metrics: parts.metrics ?? ok({ conntrackEntries: 8000, conntrackLimit: 262144 }),
    nodePorts: parts.nodePorts ?? ok([]),
    nodeLog: parts.nodeLog ?? { status: 'skipped', reason: 'node log query is off' },
    gatheredAt: parts.gatheredAt ?? '2026-11-23T08:40:00.000Z',
  };
}

export function peer(name: string, overrides: Partial<PeerPod> = {}): PeerPod {
  return { namespace: 'shop', name, phase: 'Running', ready: true, restarts: 0, ...overrides };
}
