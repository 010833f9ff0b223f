// Facts about the alerted pod and its failing container: phase, scheduling, termination, waiting, limits, probes.
import type { ProbeSpec, TriageContext } from '../context.js';
import { formatBytes } from '../format.js';
import { type FactSheet, focusContainer, secondsBetween } from './fact-sheet.js';

export const POD_FACTS = [
  'pod.phase',
  'pod.reason',
  'pod.message',
  'pod.scheduled',
  'pod.unschedulableMessage',
  'pod.deletionAgeSeconds',
  'pod.ageSeconds',
  'pod.finalizers',
  'container.name',
  'container.image',
  'container.imageRegistry',
  'container.imageRepository',
  'container.exitCode',
  'container.terminationReason',
  'container.terminationMessage',
  'container.signal',
  'container.runSeconds',
  'container.restartCount',
  'container.waitingReason',
  'container.waitingMessage',
  'container.memoryLimitBytes',
  'container.memoryLimit',
  'container.hasLivenessProbe',
  'container.hasStartupProbe',
  'container.livenessInitialDelaySeconds',
  'container.livenessTimeoutSeconds',
  'container.livenessUrl',
  'container.livenessBudgetSeconds',
  'container.killedWithinLivenessBudget',
  'container.subPathConfigMounts',
];

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

/**
 * Registry host and repository of an image reference, as the container runtime reads it: the first component is a
 * registry only when it has a dot or a port or is `localhost`; otherwise the image is on Docker Hub, where a
 * one-component name lives under `library/`.
 */
export function imageReference(image: string): ImageReference | undefined {
  let ref = references.get(image);
  if (ref === undefined && !references.has(image)) {
    if (references.size >= 1000) references.clear();
    ref = parseImageReference(image);
    references.set(image, ref);
  }
  return ref;
}

interface ImageReference {
  readonly registry: string;
  readonly repository: string;
}

/** Parsed once per image: every diagnosis extracts facts, and a cluster runs few distinct images. */
const references = new Map<string, ImageReference | undefined>();

function parseImageReference(image: string): ImageReference | undefined {
  const name = image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[\w][\w.-]{0,127}$/, '');
  if (!/^[a-z0-9]/i.test(name) || /\s/.test(name)) return undefined;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return { registry: first, repository: name.slice(slash + 1) };
  return { registry: 'docker.io', repository: slash < 0 ? `library/${name}` : name };
}

/** Exit codes 129–159 mean "killed by signal n-128"; the name of that signal, undefined for any other code. */
export function signalOf(exitCode: number): string | undefined {
  if (exitCode <= 128 || exitCode >= 160) return undefined;
  return SIGNALS[exitCode - 128] ?? `signal ${exitCode - 128}`;
}

function addPodLevel(sheet: FactSheet, context: TriageContext): void {
  if (context.pod.status !== 'ok') return;
  const pod = context.pod.value;
  sheet.value(
    'pod.phase',
    pod.phase,
    'pod.status',
    () => `pod phase ${pod.phase}${pod.reason ? ` (${pod.reason})` : ''}`,
  );
  sheet.value('pod.reason', pod.reason, 'pod.status', () =>
    `pod ${pod.name} reason ${pod.reason}: ${pod.message ?? ''}`.trim(),
  );
  // An evicted pod's message says which resource the node ran short of ("The node was low on resource: memory").
  sheet.value(
    'pod.message',
    pod.message?.trim() || undefined,
    'pod.status',
    () => `pod ${pod.name}: ${pod.message?.trim()}`,
  );
  const scheduled = pod.conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled) {
    sheet.value(
      'pod.scheduled',
      scheduled.status,
      'pod.status',
      () => `PodScheduled=${scheduled.status}${scheduled.reason ? ` (${scheduled.reason})` : ''}`,
    );
    if (scheduled.status === 'False' && scheduled.message) {
      sheet.value(
        'pod.unschedulableMessage',
        scheduled.message,
        'pod.status',
        () => `scheduler: ${scheduled.message}`,
      );
    }
  }
  const age = secondsBetween(pod.createdAt, context.gatheredAt);
  sheet.value(
    'pod.ageSeconds',
    age,
    'pod.status',
    () => `pod created ${pod.createdAt} (${age}s before triage)`,
  );
  if (pod.deletionTimestamp) {
    const waited = secondsBetween(pod.deletionTimestamp, context.gatheredAt);
    sheet.value(
      'pod.deletionAgeSeconds',
      waited,
      'pod.status',
      () => `pod marked for deletion at ${pod.deletionTimestamp}, still present ${waited}s later`,
    );
  }
  sheet.texts(
    'pod.finalizers',
    pod.finalizers.map((f) => ({ text: `finalizer ${f}`, source: 'pod.status' as const })),
    'pod.status',
  );
}

function addContainerLevel(sheet: FactSheet, context: TriageContext): void {
  const c = focusContainer(context);
  if (!c) return;
  sheet.value('container.name', c.name, 'pod.status', () => `container ${c.name}`);
  sheet.value('container.image', c.image, 'pod.status', () => `container ${c.name} image ${c.image}`);
  const ref = imageReference(c.image);
  if (ref) {
    const quote = () => `image ${c.image} comes from registry ${ref.registry}, repository ${ref.repository}`;
    sheet.value('container.imageRegistry', ref.registry, 'pod.status', quote);
    sheet.value('container.imageRepository', ref.repository, 'pod.status', quote);
  }
  const last = c.lastTerminated ?? c.terminated;
  // Read by two facts (run time, and whether liveness killed it at its first chance): parsed once.
  const ran = secondsBetween(last?.startedAt, last?.finishedAt);
  if (last) {
    const quote = () =>
      `container ${c.name} last terminated with exit code ${last.exitCode}${last.reason ? ` (reason ${last.reason})` : ''}${last.finishedAt ? ` at ${last.finishedAt}` : ''}`;
    sheet.value('container.exitCode', last.exitCode, 'pod.status', quote);
    sheet.value('container.terminationReason', last.reason ?? '', 'pod.status', quote);
    if (last.message) {
      sheet.value(
        'container.terminationMessage',
        last.message,
        'pod.status',
        () => `termination message: ${last.message}`,
      );
    }
    const signal = signalOf(last.exitCode);
    sheet.value(
      'container.signal',
      signal,
      'pod.status',
      () => `exit code ${last.exitCode} = killed by ${signal}`,
    );
    sheet.value(
      'container.runSeconds',
      ran,
      'pod.status',
      () => `the terminated instance of ${c.name} ran ${ran}s`,
    );
  }
  sheet.value(
    'container.restartCount',
    c.restartCount,
    'pod.status',
    () => `container ${c.name} restarted ${c.restartCount} times`,
  );
  const { waiting, memoryLimitBytes } = c;
  if (waiting) {
    const quote = () =>
      `container ${c.name} waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
    sheet.value('container.waitingReason', waiting.reason, 'pod.status', quote);
    sheet.value('container.waitingMessage', waiting.message, 'pod.status', quote);
  }
  if (memoryLimitBytes !== undefined) {
    const written = c.memoryLimit ?? formatBytes(memoryLimitBytes);
    const quote = () =>
      `container ${c.name} memory limit ${written}${memoryLimitBytes < 4 * 2 ** 20 ? ` (= ${memoryLimitBytes} bytes)` : ''}`;
    sheet.value('container.memoryLimitBytes', memoryLimitBytes, 'pod.status', quote);
    sheet.value('container.memoryLimit', written, 'pod.status', quote);
  }
  const liveness = c.livenessProbe;
  sheet.value(
    'container.hasLivenessProbe',
    liveness !== undefined,
    'pod.status',
    () => `container ${c.name} ${liveness ? 'has' : 'has no'} liveness probe`,
  );
  sheet.value(
    'container.hasStartupProbe',
    c.startupProbe !== undefined,
    'pod.status',
    () => `container ${c.name} ${c.startupProbe ? 'has' : 'has no'} startup probe`,
  );
  if (liveness) {
    const spec = () =>
      `liveness probe ${liveness.kind}${liveness.port ? ` port ${liveness.port}` : ''}${liveness.path ? ` ${liveness.path}` : ''}: initialDelaySeconds ${liveness.initialDelaySeconds}, timeoutSeconds ${liveness.timeoutSeconds}, periodSeconds ${liveness.periodSeconds}, failureThreshold ${liveness.failureThreshold}`;
    sheet.value('container.livenessInitialDelaySeconds', liveness.initialDelaySeconds, 'pod.status', spec);
    sheet.value('container.livenessTimeoutSeconds', liveness.timeoutSeconds, 'pod.status', spec);
    // What to call by hand from inside the container; a named port would need the container's port list.
    if (liveness.kind === 'httpGet' && liveness.port && /^\d+$/.test(liveness.port)) {
      const url = `http://127.0.0.1:${liveness.port}${liveness.path ?? '/'}`;
      sheet.value('container.livenessUrl', url, 'pod.status', spec);
    }
    const grace =
      context.pod.status === 'ok'
        ? (context.pod.value.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS)
        : DEFAULT_GRACE_SECONDS;
    addLivenessBudget(sheet, c.name, liveness, ran, grace);
  }
  if (c.subPathConfigMounts) {
    sheet.value(
      'container.subPathConfigMounts',
      c.subPathConfigMounts,
      'pod.status',
      () => `container ${c.name} mounts ${c.subPathConfigMounts} ConfigMap/Secret volume(s) with subPath`,
    );
  }
}

/** The default terminationGracePeriodSeconds, when the pod spec could not be read: SIGTERM, then SIGKILL after. */
const DEFAULT_GRACE_SECONDS = 30;

/**
 * How soon liveness can kill a fresh instance: the first probe after initialDelaySeconds, then failureThreshold
 * failures a period apart, each allowed timeoutSeconds. An instance that ran no longer than that (plus the grace
 * period) was killed at the first chance, before it could have finished a slow start and passed a probe.
 */
function addLivenessBudget(
  sheet: FactSheet,
  name: string,
  liveness: ProbeSpec,
  ran: number | undefined,
  grace: number,
): void {
  const budget =
    liveness.initialDelaySeconds +
    liveness.failureThreshold * liveness.periodSeconds +
    liveness.timeoutSeconds;
  const spelled = `initialDelaySeconds ${liveness.initialDelaySeconds} + failureThreshold ${liveness.failureThreshold} × periodSeconds ${liveness.periodSeconds} + timeoutSeconds ${liveness.timeoutSeconds}`;
  sheet.value(
    'container.livenessBudgetSeconds',
    budget,
    'pod.status',
    () => `liveness can first kill ${name} ${budget}s after it starts (${spelled})`,
  );
  if (ran === undefined) return;
  sheet.value(
    'container.killedWithinLivenessBudget',
    ran <= budget + grace,
    'pod.status',
    () =>
      `the terminated instance of ${name} ran ${ran}s; liveness can first kill it after ${budget}s (${spelled}), plus up to ${grace}s of termination grace`,
  );
}

export function addWorkloadFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(POD_FACTS, context.pod, 'pod status')) return;
  addPodLevel(sheet, context);
  addContainerLevel(sheet, context);
}
