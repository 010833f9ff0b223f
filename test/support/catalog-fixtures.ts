// Builders for termination, scheduling and image catalog tests: crash-looping, pending and terminating pods.
import { expect } from 'vitest';
import type { Alert } from '../../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type {
  ContainerSnapshot,
  EventSnapshot,
  PodSnapshot,
  TerminatedState,
  TriageContext,
} from '../../src/domain/context.js';
import { ok, skipped } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import type { Finding } from '../../src/domain/signature.js';
import { alert, container, context, NODE, pod } from './contexts.js';

export const NAMESPACE = 'payments';
export const POD = 'checkout-api-7d9f8c6b5-x2x7q';
export const CONTAINER = 'checkout-api';
export const WORKLOAD = 'deployment/checkout-api';
export { NODE };

/** A container in CrashLoopBackOff whose last instance ended as given (ran 5 minutes unless told otherwise). */
export function crashed(
  last: Partial<TerminatedState> & { exitCode: number },
  overrides: Partial<ContainerSnapshot> = {},
) {
  return container({
    ready: false,
    restartCount: 6,
    waiting: { reason: 'CrashLoopBackOff' },
    lastTerminated: {
      reason: 'Error',
      startedAt: '2026-11-23T08:30:00.000Z',
      finishedAt: '2026-11-23T08:35:00.000Z',
      ...last,
    },
    memoryLimit: '512Mi',
    memoryLimitBytes: 536870912,
    ...overrides,
  });
}

/** A pod context around one container, with the given events, log and node events. */
export function podContext(
  c: ContainerSnapshot,
  parts: Omit<Parameters<typeof context>[0] & object, 'pod'> & { podOverrides?: Partial<PodSnapshot> } = {},
): TriageContext {
  const { podOverrides, ...rest } = parts;
  return context({ ...rest, pod: ok({ ...pod([c]), ...podOverrides }) });
}

/** A pod the scheduler has not placed: Pending, PodScheduled=False with the scheduler's message, no node. */
export function pendingContext(message: string | undefined, events: EventSnapshot[] = []): TriageContext {
  const { nodeName: _scheduledOn, ...unscheduled } = pod([container({ ready: false })]);
  const conditions = message
    ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }]
    : [];
  return context({
    pod: ok({ ...unscheduled, phase: 'Pending', conditions }),
    podEvents: events,
    node: skipped('the pod is not scheduled on a node'),
    target: { kind: 'pod', namespace: NAMESPACE, pod: POD },
  });
}

/** KubePodNotReady carries no container label. */
export const notReady = (): Alert => {
  const a = alert({ alertname: 'KubePodNotReady' });
  const { container: _none, ...labels } = a.labels;
  return { ...a, labels };
};

export function findings(a: Alert, ctx: TriageContext): Finding[] {
  return diagnose(a, ctx, BUILT_IN_SIGNATURES);
}

export function ids(list: readonly Finding[]): string[] {
  return list.map((f) => f.signatureId);
}

/** Summary and remediation name the real namespace, pod, container, node and workload; nothing is left as `<pod>`. */
export function expectRealNames(
  f: Finding | undefined,
  names: { node?: boolean; container?: boolean } = {},
): void {
  expect(f).toBeDefined();
  const text = [f?.summary ?? '', ...(f?.remediation ?? [])].join('\n');
  expect(text).not.toMatch(/<(namespace|pod|container|node|workload|alertname)>|<[a-z]+\.[a-zA-Z]+>/);
  expect(text).toContain(NAMESPACE);
  expect(text).toContain(POD);
  if (names.container !== false) expect(text).toContain(CONTAINER);
  if (names.node) expect(text).toContain(NODE);
}

export function details(f: Finding | undefined): string[] {
  return f?.evidence.map((e) => e.detail) ?? [];
}
