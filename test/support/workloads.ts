// Builders for workload domain tests: templates, revisions, workload snapshots and pods with sensible defaults.
import type { ContainerSnapshot, PodSnapshot } from '../../src/domain/context.js';
import type {
  RevisionSnapshot,
  TemplateContainer,
  TemplateSummary,
  WorkloadPod,
  WorkloadSnapshot,
  WorkloadState,
} from '../../src/domain/workload/types.js';
import { container, pod } from './contexts.js';

export function templateContainer(overrides: Partial<TemplateContainer> = {}): TemplateContainer {
  return {
    name: 'api',
    image: 'shop/api:1.4.2',
    env: ['LOG_LEVEL=info', 'DB_PASSWORD from secret/db.password'],
    envFrom: [],
    resources: ['limits.memory=512Mi', 'requests.cpu=250m'],
    ...overrides,
  };
}

export function template(overrides: Partial<TemplateSummary> = {}): TemplateSummary {
  return {
    containers: [templateContainer()],
    initContainers: [],
    volumes: ['configMap/api-config'],
    nodeSelector: {},
    tolerations: [],
    ...overrides,
  };
}

export function revision(
  n: number,
  hash: string,
  createdAt: string,
  t: TemplateSummary = template(),
): RevisionSnapshot {
  return {
    name: `api-${hash}`,
    revision: n,
    createdAt,
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    template: t,
  };
}

export function deployment(overrides: Partial<WorkloadSnapshot> = {}): WorkloadSnapshot {
  return {
    kind: 'Deployment',
    namespace: 'shop',
    name: 'api',
    uid: 'd-1',
    conditions: [],
    selector: { matchLabels: { app: 'api' } },
    template: template(),
    replicas: { desired: 3, current: 3, ready: 1, available: 1, updated: 3 },
    revision: '42',
    ...overrides,
  };
}

/** A pod of the workload whose one container is in the given state. */
export function workloadPod(
  name: string,
  c: Partial<ContainerSnapshot>,
  extra: Partial<PodSnapshot> = {},
  revisionHash?: string,
): WorkloadPod {
  return {
    pod: { ...pod([container({ name: 'api', ...c })]), namespace: 'shop', name, ...extra },
    ...(revisionHash ? { revisionHash } : {}),
  };
}

export const OOM: Partial<ContainerSnapshot> = {
  ready: false,
  restartCount: 6,
  memoryLimit: '512Mi',
  waiting: { reason: 'CrashLoopBackOff' },
  lastTerminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-11-23T08:17:00Z' },
};

export function state(overrides: Partial<WorkloadState> = {}): WorkloadState {
  return { object: deployment(), revisions: [], podCount: 3, failing: [], ...overrides };
}
