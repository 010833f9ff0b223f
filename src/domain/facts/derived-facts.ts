// Facts that weigh several pieces of context together: where an OOM kill came from, whether a container stopped on
// its own, whether a registry's denial can only mean a missing repository, whether a server listens on loopback only.
import type { ContainerSnapshot, TriageContext } from '../context.js';
import { formatBytes } from '../format.js';
import { type FactSheet, focusContainer, type TextItem } from './fact-sheet.js';
import { imageReference } from './workload-facts.js';

export const DERIVED_FACTS = [
  'memory.oomScope',
  'container.exitedOnItsOwn',
  'container.pullDeniedRepositoryMissing',
  'container.listensOnLoopback',
] as const;

/** The kernel's record of a kill at a cgroup's own limit, as node-problem-detector or the node log relays it. */
const KERNEL_CGROUP_OOM = /memory cgroup out of memory|constraint=CONSTRAINT_MEMCG/i;
/** A kill by the node-wide OOM killer: the kubelet's SystemOOM event or the kernel's own line without "cgroup". */
const KERNEL_NODE_OOM =
  /System OOM encountered|(?<!cgroup )out of memory: kill(ed)? process|constraint=CONSTRAINT_NONE/i;
const PROBE_KILL = /failed (liveness|startup) probe, will be restarted/i;
/** Registry answers that mean "missing" and "private" alike (Docker Hub, containerd and CRI-O wordings). */
const DENIED_AMBIGUOUS =
  /pull access denied|repository does not exist or may require|requested access to the resource is denied|insufficient_scope/i;
const LOOPBACK = /(?:^|[=\s/@])(127\.0\.0\.1|localhost|\[::1\])(?::(\d+))?\/?$/i;
const LISTEN_KEY = /listen|bind|host|addr/i;
/** A server's start-up line naming a loopback address ("Listening at: http://127.0.0.1:8000"). */
const LOG_LOOPBACK =
  /\b(?:listening|listen|running|serving|started|bound)\b[^\n]{0,60}?(?:https?:\/\/|\s)(127\.0\.0\.1|localhost|\[::1\]):(\d+)/i;

const NONE: readonly TextItem[] = [];

function items(sheet: FactSheet, name: string): readonly TextItem[] {
  const fact = sheet.facts.get(name);
  return fact?.kind === 'texts' ? fact.items : NONE;
}

/** The first text of the named list facts that passes `test`: no copies, as this runs on every diagnosis. */
function firstText(
  sheet: FactSheet,
  names: readonly string[],
  test: (t: string) => boolean,
): string | undefined {
  for (const name of names) for (const i of items(sheet, name)) if (test(i.text)) return i.text;
  return undefined;
}

const KERNEL = ['events.node', 'logs.node'];

function value(sheet: FactSheet, name: string): string | number | boolean | undefined {
  const fact = sheet.facts.get(name);
  return fact?.kind === 'value' ? fact.value : undefined;
}

const pct = (r: number) => `${Math.round(r * 100)}%`;

/**
 * Where an OOM kill of the container came from. The container's reason alone cannot say: under cgroup v2 a node-wide
 * OOM kill marks its victim OOMKilled too, older runtimes report a kill at the limit as Error/137, and a child killed
 * at the limit leaves its parent to exit 1. The limit, the peak working set against it and the node's and kernel's
 * records decide.
 */
function oomScope(sheet: FactSheet, c: ContainerSnapshot, node: string, podUid: string): void {
  const last = c.lastTerminated ?? c.terminated;
  if (!last || (last.exitCode === 0 && last.reason !== 'OOMKilled')) return;
  // The quote is built only if a finding cites it: most diagnoses never do.
  const set = (scope: 'container-limit' | 'node', why: () => string) =>
    sheet.value('memory.oomScope', scope, 'pod.status', why);
  // The kernel's oom-kill line names the victim's cgroup, which carries the pod UID (dashes under cgroupfs,
  // underscores under the systemd driver), and says whether a cgroup limit or the whole node ran out.
  const systemd = podUid.length >= 8 && last.exitCode !== 0 ? podUid.replaceAll('-', '_') : undefined;
  const own = systemd
    ? firstText(sheet, KERNEL, (t) => t.includes(podUid) || t.includes(systemd))
    : undefined;
  if (own && /CONSTRAINT_NONE/.test(own)) {
    set(
      'node',
      () => `the kernel's OOM kill of a process of this pod was node-wide (CONSTRAINT_NONE): ${own}`,
    );
    return;
  }
  if (own && KERNEL_CGROUP_OOM.test(own)) {
    set('container-limit', () => `the kernel killed a process of this pod at a cgroup memory limit: ${own}`);
    return;
  }
  const cgroupLine = firstText(sheet, KERNEL, (t) => KERNEL_CGROUP_OOM.test(t));
  const nodeLine = firstText(sheet, KERNEL, (t) => KERNEL_NODE_OOM.test(t));
  const pressure = value(sheet, 'node.memoryPressure') === 'True';
  const available = value(sheet, 'metrics.memoryAvailableRatio');
  const kills = value(sheet, 'metrics.oomKillsRecent');
  const workingSet = value(sheet, 'metrics.workingSetBytes');
  const limit = c.memoryLimitBytes;
  const ratio = typeof workingSet === 'number' && limit ? workingSet / limit : undefined;
  const low = typeof available === 'number' && available <= 0.1 ? available : undefined;
  const short = nodeLine !== undefined || pressure || low !== undefined;
  const nodeShort = () =>
    nodeLine ??
    (pressure ? `${node} reports MemoryPressure` : `${node} has ${pct(low ?? 0)} of its memory available`);
  const name = `container ${c.name}`;
  const ended = () => `exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}`;
  if (last.reason === 'OOMKilled') {
    if (limit === undefined) {
      set(
        'node',
        () =>
          `${name} was OOMKilled but has no memory limit: no cgroup limit of its own was reached, so the kernel killed it for the node as a whole${short ? ` (${nodeShort()})` : ''}`,
      );
    } else if (ratio !== undefined && ratio < 0.8 && short) {
      set(
        'node',
        () =>
          `${name} was OOMKilled with its peak working set at ${pct(ratio)} of its ${formatBytes(limit)} limit while the node ran short (${nodeShort()}): a node-wide OOM kill, which cgroup v2 also reports as OOMKilled`,
      );
    } else {
      set(
        'container-limit',
        () =>
          `${name} was OOMKilled at its ${c.memoryLimit ?? formatBytes(limit)} limit${ratio !== undefined ? ` (peak working set ${pct(ratio)} of it)` : ''}`,
      );
    }
    return;
  }
  if (last.exitCode === 0) return;
  const counted = typeof kills === 'number' && kills >= 1;
  const recorded = cgroupLine !== undefined || counted;
  const record = () => cgroupLine ?? `${kills} OOM kill(s) on ${node} in the last 30m (node_vmstat_oom_kill)`;
  if (limit !== undefined && ratio !== undefined && ratio >= 0.9 && recorded) {
    const child =
      last.exitCode === 137
        ? ''
        : ': a process inside was killed at the limit and the main process exited after it';
    set(
      'container-limit',
      () =>
        `${name} ended with ${ended()} while its peak working set reached ${pct(ratio)} of its ${c.memoryLimit ?? formatBytes(limit)} limit and the kernel recorded an OOM kill (${record()})${child}`,
    );
  } else if (last.exitCode === 137 && limit === undefined && (nodeLine !== undefined || recorded)) {
    set(
      'node',
      () =>
        `${name} was SIGKILLed (${ended()}) with no memory limit of its own while the kernel OOM killer was at work on ${node} (${nodeLine ?? record()})`,
    );
  }
}

function exitedOnItsOwn(sheet: FactSheet, c: ContainerSnapshot): void {
  const last = c.lastTerminated ?? c.terminated;
  const events = sheet.facts.get('events.pod');
  if (!last || events?.kind !== 'texts') return;
  const kill = events.items.find(
    (i) => i.text.includes(' probe, will be restarted') && PROBE_KILL.test(i.text),
  )?.text;
  // A process that handles the kubelet's SIGTERM exits 0 (or 143); its exit code then says nothing about its health.
  const killed =
    last.exitCode === 137 || last.exitCode === 143 || (last.exitCode === 0 && kill !== undefined);
  sheet.value('container.exitedOnItsOwn', !killed, 'pod.status', () =>
    killed
      ? `container ${c.name} exited with code ${last.exitCode} after being told to stop${kill ? ` (${kill})` : ''}`
      : `container ${c.name} exited with code ${last.exitCode} on its own: no kubelet kill explains it`,
  );
}

function pullDenied(sheet: FactSheet, c: ContainerSnapshot): void {
  const ref = imageReference(c.image);
  if (ref?.registry !== 'docker.io' || !ref.repository.startsWith('library/')) return;
  const waiting = c.waiting?.message ?? '';
  const said = DENIED_AMBIGUOUS.test(waiting)
    ? waiting
    : firstText(sheet, ['events.pod'], (t) => /Failed to pull image/i.test(t) && DENIED_AMBIGUOUS.test(t));
  if (!said) return;
  sheet.value(
    'container.pullDeniedRepositoryMissing',
    true,
    'events',
    () =>
      `Docker Hub denied ${ref.registry}/${ref.repository}: its library/ namespace holds only Docker's official images, all public, so "pull access denied" there means the repository does not exist (${said})`,
  );
}

function loopback(sheet: FactSheet, c: ContainerSnapshot): void {
  // Only worth reading when a probe was refused: the scan of the whole log is not free. A plain substring test
  // first, as this runs on every pod's events.
  const refused = (t: string) => t.includes('connection refused') && /probe failed/i.test(t);
  if (!firstText(sheet, ['events.pod'], refused)) return;
  const probe = c.livenessProbe ?? c.readinessProbe ?? c.startupProbe;
  const probed = probe?.port && /^\d+$/.test(probe.port) ? probe.port : undefined;
  const samePort = (port: string | undefined) => !probed || !port || port === probed;
  const launch = c.launch ?? [];
  for (let i = 0; i < launch.length; i += 1) {
    const entry = launch[i] ?? '';
    const m = LOOPBACK.exec(entry);
    const keyed = LISTEN_KEY.test(entry.split('=')[0] ?? '') || LISTEN_KEY.test(launch[i - 1] ?? '');
    if (m && keyed && samePort(m[2])) {
      sheet.value(
        'container.listensOnLoopback',
        entry,
        'pod.status',
        () =>
          `container ${c.name} is told to listen on a loopback address (${i > 0 && !entry.includes('=') ? `${launch[i - 1]} ` : ''}${entry}): the kubelet connects to the pod IP, which such a listener never accepts`,
      );
      return;
    }
  }
  for (const { text: line } of items(sheet, 'logs.previous')) {
    const m = LOG_LOOPBACK.exec(line);
    if (m && samePort(m[2])) {
      sheet.value(
        'container.listensOnLoopback',
        `${m[1]}:${m[2]}`,
        'logs',
        () =>
          `container ${c.name} announced a loopback listener: "${line.trim()}"; the kubelet connects to the pod IP, which that listener never accepts`,
      );
      return;
    }
  }
}

/** Runs after every other fact is in the sheet: each derived fact reads them. */
export function addDerivedFacts(sheet: FactSheet, context: TriageContext): void {
  if (sheet.unknown(DERIVED_FACTS, context.pod, 'pod status')) return;
  const c = focusContainer(context);
  if (!c) return;
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  oomScope(sheet, c, pod?.nodeName ?? 'the node', pod?.uid ?? '');
  exitedOnItsOwn(sheet, c);
  pullDenied(sheet, c);
  loopback(sheet, c);
}
