// Builders for network and node-health catalog tests: probe events, healthy node metrics, node-alert contexts.
import type { Alert } from '../../src/domain/alert.js';
import type {
  ContainerSnapshot,
  EventSnapshot,
  MetricValues,
  NodeSnapshot,
  PeerPod,
  ProbeSpec,
  TriageContext,
} from '../../src/domain/context.js';
import { ok, skipped } from '../../src/domain/context.js';
import { alert, container, context, event, NODE, node } from './contexts.js';

const GiB = 2 ** 30;

/** Node-exporter and kube-state-metrics answers of a healthy 8-CPU node; override what the test is about. */
export function nodeMetrics(overrides: Record<string, number | null> = {}): MetricValues {
  return {
    conntrackEntries: 8000,
    conntrackLimit: 262144,
    conntrackDropRate: 0,
    conntrackInsertFailedRate: 0,
    listenOverflowRate: 0,
    listenDropRate: 0,
    load1: 2.4,
    cpuCores: 8,
    iowaitRatio: 0.01,
    rootFsAvailableBytes: 41 * GiB,
    rootFsSizeBytes: 80 * GiB,
    memoryAvailableBytes: 17 * GiB,
    memoryTotalBytes: 31 * GiB,
    filefdAllocated: 14208,
    filefdMaximum: 3247692,
    oomKillsRecent: 0,
    ...overrides,
  };
}

export const livenessTimeout = (count = 18): EventSnapshot =>
  event(
    'Unhealthy',
    'Liveness probe failed: Get "http://10.20.5.17:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    'Warning',
    count,
  );

export const readinessTimeout = (count = 9): EventSnapshot =>
  event(
    'Unhealthy',
    'Readiness probe failed: Get "http://10.20.5.17:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    'Warning',
    count,
  );

export const livenessRefused = (count = 24): EventSnapshot =>
  event(
    'Unhealthy',
    'Liveness probe failed: Get "http://10.20.5.17:8080/healthz": dial tcp 10.20.5.17:8080: connect: connection refused',
    'Warning',
    count,
  );

export const livenessKill = (count = 6): EventSnapshot =>
  event('Killing', 'Container checkout-api failed liveness probe, will be restarted', 'Normal', count);

export function nodeEvent(reason: string, message: string, type = 'Warning', count = 1): EventSnapshot {
  return { type, reason, message, count, involvedKind: 'Node', involvedName: NODE };
}

/** A node alert (node-exporter or kube-state-metrics): no pod, the node and its neighbourhood gathered. */
export function nodeContext(
  parts: {
    node?: NodeSnapshot;
    nodeEvents?: EventSnapshot[];
    metrics?: TriageContext['metrics'];
    peers?: PeerPod[];
  } = {},
): TriageContext {
  const notPod = skipped<never>('not a pod alert');
  return {
    ...context({
      target: { kind: 'node', node: NODE },
      node: ok(parts.node ?? node()),
      nodeEvents: parts.nodeEvents ?? [],
      metrics: parts.metrics ?? ok(nodeMetrics()),
      ...(parts.peers ? { peers: parts.peers } : {}),
    }),
    pod: notPod,
    podEvents: notPod,
    previousLog: notPod,
    nodePorts: skipped('no probe failures'),
  };
}

/** A node-exporter alert as kube-prometheus sends it: the node in `instance`, the exporter pod in namespace/pod. */
export function nodeAlert(alertname: string, labels: Record<string, string> = {}): Alert {
  return alert({
    alertname,
    instance: NODE,
    job: 'node-exporter',
    namespace: 'monitoring',
    pod: 'node-exporter-q7m4d',
    container: 'kube-rbac-proxy',
    ...labels,
  });
}

/** A liveness probe that starts checking 20 s after start, every 10 s, three failures to a kill. */
export const liveness: ProbeSpec = {
  kind: 'httpGet',
  port: '8080',
  path: '/healthz',
  initialDelaySeconds: 20,
  timeoutSeconds: 1,
  periodSeconds: 10,
  failureThreshold: 3,
};

/** Killed by its liveness probe after running for `runSeconds`. */
export function killed(runSeconds: number, overrides: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
  const finishedAt = Date.parse('2026-11-23T08:33:44Z');
  return container({
    ready: false,
    restartCount: 6,
    waiting: { reason: 'CrashLoopBackOff' },
    lastTerminated: {
      exitCode: 137,
      reason: 'Error',
      startedAt: new Date(finishedAt - runSeconds * 1000).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
    },
    livenessProbe: liveness,
    ...overrides,
  });
}

export const ids = (findings: readonly { signatureId: string }[]) => findings.map((f) => f.signatureId);
export const details = (finding: { evidence: readonly { detail: string }[] } | undefined) =>
  finding?.evidence.map((e) => e.detail) ?? [];
export const steps = (finding: { remediation: readonly string[] } | undefined) =>
  finding?.remediation.join('\n') ?? '';
