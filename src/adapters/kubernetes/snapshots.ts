// Maps @kubernetes/client-node objects (V1Pod, V1Node, CoreV1Event) to the domain's lean snapshots.
import type {
  CoreV1Event,
  V1Container,
  V1ContainerStatus,
  V1Node,
  V1Pod,
  V1Probe,
  V1Service,
} from '@kubernetes/client-node';
import type {
  ContainerSnapshot,
  EventSnapshot,
  NodePortSnapshot,
  NodeSnapshot,
  PeerPod,
  PodSnapshot,
  ProbeSpec,
  TerminatedState,
} from '../../domain/context.js';
import { parseCpuMillis, parseQuantity } from '../../domain/format.js';

type Time = Date | string | undefined | null;

export function iso(t: Time): string | undefined {
  if (t === undefined || t === null) return undefined;
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Optional where the value may be undefined, as exactOptionalPropertyTypes wants it. */
type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined values so snapshot objects carry only what the cluster said. */
export function compact<T extends object>(value: T): Compact<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Compact<T>;
}

function probe(p: V1Probe | undefined): ProbeSpec | undefined {
  if (!p) return undefined;
  const kind: ProbeSpec['kind'] = p.httpGet
    ? 'httpGet'
    : p.tcpSocket
      ? 'tcpSocket'
      : p.grpc
        ? 'grpc'
        : 'exec';
  const port = p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
  return compact({
    kind,
    port: port === undefined ? undefined : String(port),
    path: p.httpGet?.path,
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    timeoutSeconds: p.timeoutSeconds ?? 1,
    periodSeconds: p.periodSeconds ?? 10,
    failureThreshold: p.failureThreshold ?? 3,
  });
}

function terminated(
  t: V1ContainerStatus['lastState'] extends infer S ? S : never,
): TerminatedState | undefined {
  const term = t?.terminated;
  if (!term) return undefined;
  return compact({
    exitCode: term.exitCode,
    reason: term.reason,
    message: term.message,
    signal: term.signal,
    startedAt: iso(term.startedAt),
    finishedAt: iso(term.finishedAt),
  });
}

/** Env names that set where a server listens; other env values (credentials among them) are never read. */
const LISTEN_ENV = /HOST|BIND|LISTEN|ADDR/i;

/** Command, args and listen-related env entries, each cut to 200 characters, at most 40. */
function launch(spec: V1Container | undefined): readonly string[] | undefined {
  const env = (spec?.env ?? [])
    .filter((e) => LISTEN_ENV.test(e.name) && typeof e.value === 'string')
    .map((e) => `${e.name}=${e.value}`);
  const all = [...(spec?.command ?? []), ...(spec?.args ?? []), ...env]
    .slice(0, 40)
    .map((a) => a.slice(0, 200));
  return all.length > 0 ? all : undefined;
}

function container(
  spec: V1Container | undefined,
  status: V1ContainerStatus | undefined,
  name: string,
  configVolumes: ReadonlySet<string>,
): ContainerSnapshot {
  const memoryLimit = spec?.resources?.limits?.memory;
  const subPathConfigMounts = (spec?.volumeMounts ?? []).filter(
    (m) => m.subPath && configVolumes.has(m.name),
  ).length;
  return compact({
    name,
    image: status?.image ?? spec?.image ?? '',
    ready: status?.ready ?? false,
    restartCount: status?.restartCount ?? 0,
    waiting: status?.state?.waiting?.reason
      ? compact({ reason: status.state.waiting.reason, message: status.state.waiting.message })
      : undefined,
    running: status?.state?.running ? compact({ startedAt: iso(status.state.running.startedAt) }) : undefined,
    terminated: terminated(status?.state),
    lastTerminated: terminated(status?.lastState),
    memoryLimit,
    memoryLimitBytes: memoryLimit === undefined ? undefined : parseQuantity(memoryLimit),
    subPathConfigMounts: subPathConfigMounts > 0 ? subPathConfigMounts : undefined,
    launch: launch(spec),
    livenessProbe: probe(spec?.livenessProbe),
    readinessProbe: probe(spec?.readinessProbe),
    startupProbe: probe(spec?.startupProbe),
  });
}

function containers(
  specs: readonly V1Container[] | undefined,
  statuses: readonly V1ContainerStatus[] | undefined,
  configVolumes: ReadonlySet<string>,
) {
  const names = new Set([...(specs ?? []).map((c) => c.name), ...(statuses ?? []).map((c) => c.name)]);
  return [...names].map((name) =>
    container(
      specs?.find((c) => c.name === name),
      statuses?.find((c) => c.name === name),
      name,
      configVolumes,
    ),
  );
}

export function podSnapshot(pod: V1Pod): PodSnapshot {
  const owner =
    pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const configVolumes = new Set(
    (pod.spec?.volumes ?? []).filter((v) => v.configMap || v.secret || v.projected).map((v) => v.name),
  );
  const claims = [
    ...new Set((pod.spec?.volumes ?? []).flatMap((v) => v.persistentVolumeClaim?.claimName ?? [])),
  ];
  return compact({
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    nodeName: pod.spec?.nodeName,
    terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds,
    phase: pod.status?.phase ?? 'Unknown',
    reason: pod.status?.reason,
    message: pod.status?.message,
    conditions: (pod.status?.conditions ?? []).map((c) =>
      compact({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionTime: iso(c.lastTransitionTime),
      }),
    ),
    containers: containers(pod.spec?.containers, pod.status?.containerStatuses, configVolumes),
    initContainers: containers(pod.spec?.initContainers, pod.status?.initContainerStatuses, configVolumes),
    ownerKind: owner?.kind,
    ownerName: owner?.name,
    revisionHash: pod.metadata?.labels?.['controller-revision-hash'],
    createdAt: iso(pod.metadata?.creationTimestamp),
    deletionTimestamp: iso(pod.metadata?.deletionTimestamp),
    finalizers: pod.metadata?.finalizers ?? [],
    claims: claims.length > 0 ? claims : undefined,
  });
}

export function eventSnapshot(e: CoreV1Event): EventSnapshot {
  // events.k8s.io writers leave count/lastTimestamp empty and use series/eventTime instead.
  const count = e.count ?? e.series?.count ?? 1;
  return compact({
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count,
    lastSeen:
      iso(e.lastTimestamp) ?? iso(e.series?.lastObservedTime) ?? iso(e.eventTime) ?? iso(e.firstTimestamp),
    involvedKind: e.involvedObject.kind ?? '',
    involvedName: e.involvedObject.name ?? '',
    source: e.source?.component ?? e.reportingComponent,
  });
}

/** Newest first, so a truncated list keeps what matters. */
export function sortEvents(events: EventSnapshot[]): EventSnapshot[] {
  return events.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

export function nodeSnapshot(node: V1Node): NodeSnapshot {
  const memory = node.status?.allocatable?.memory;
  const cpu = node.status?.allocatable?.cpu;
  return compact({
    name: node.metadata?.name ?? '',
    conditions: (node.status?.conditions ?? []).map((c) =>
      compact({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionTime: iso(c.lastTransitionTime),
      }),
    ),
    taints: (node.spec?.taints ?? []).map((t) => compact({ key: t.key, value: t.value, effect: t.effect })),
    unschedulable: node.spec?.unschedulable ?? false,
    allocatableMemoryBytes: memory === undefined ? undefined : parseQuantity(memory),
    allocatableCpuMillis: cpu === undefined ? undefined : parseCpuMillis(cpu),
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion,
  });
}

export function peerPod(pod: V1Pod): PeerPod {
  const statuses = pod.status?.containerStatuses ?? [];
  const troubled = statuses.find((s) => s.state?.waiting || !s.ready) ?? statuses[0];
  const last = troubled?.lastState?.terminated;
  return compact({
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: statuses.length > 0 && statuses.every((s) => s.ready),
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    waitingReason: troubled?.state?.waiting?.reason,
    lastExitCode: last?.exitCode,
    lastReason: last?.reason,
  });
}

export function nodePorts(service: V1Service): NodePortSnapshot[] {
  return (service.spec?.ports ?? [])
    .filter((p) => typeof p.nodePort === 'number' && p.nodePort > 0)
    .map((p) => ({
      namespace: service.metadata?.namespace ?? '',
      name: service.metadata?.name ?? '',
      port: p.port,
      nodePort: p.nodePort ?? 0,
    }));
}
