// Issue 14, memory: the container's status is not the whole truth about an OOM kill, and evictions are not OOM kills.
import { describe, expect, it } from 'vitest';
import { ok } from '../../src/domain/context.js';
import { extractFacts } from '../../src/domain/facts.js';
import { crashed, details, expectRealNames, findings, ids, podContext } from '../support/catalog-fixtures.js';
import { alert, event, node } from '../support/contexts.js';

const Gi = 2 ** 30;
const nodeEvent = (reason: string, message: string) => ({ ...event(reason, message), involvedKind: 'Node' });
const systemOom = nodeEvent('SystemOOM', 'System OOM encountered, victim process: node, pid: 1404417');
const cgroupOom = nodeEvent(
  'OOMKilling',
  'Memory cgroup out of memory: Killed process 28461 (node) total-vm:3112432kB, anon-rss:2046880kB, file-rss:30124kB',
);
/** A crash-looping container whose spec sets no memory limit. */
function unlimited(last: Parameters<typeof crashed>[0]) {
  const { memoryLimit: _limit, memoryLimitBytes: _bytes, ...rest } = crashed(last);
  return rest;
}

describe('OOMKilled is not always the container limit (cgroup v2 reports node-wide kills that way)', () => {
  it('OOMKilled without any memory limit is the node running out: node-oom-kill, not container-oom-killed', () => {
    const ctx = podContext(unlimited({ exitCode: 137, reason: 'OOMKilled' }), {
      nodeEvents: [systemOom],
      metrics: ok({ workingSetBytes: 5.6 * Gi, oomKillsRecent: 2 }),
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('node-oom-kill');
    expect(all[0]?.confidence).toBe('high');
    expect(ids(all)).not.toContain('container-oom-killed');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([expect.stringContaining('was OOMKilled but has no memory limit')]),
    );
    expect(all[0]?.summary).toContain('cgroup v2');
    expectRealNames(all[0], { node: true });
  });

  it('OOMKilled far below its limit while the kernel killed for the whole node is node-oom-kill', () => {
    const ctx = podContext(crashed({ exitCode: 137, reason: 'OOMKilled' }), {
      nodeEvents: [systemOom],
      metrics: ok({ workingSetBytes: 150 * 2 ** 20, memoryLimitBytes: 512 * 2 ** 20 }),
    });
    const [top] = findings(alert(), ctx);
    expect(top?.signatureId).toBe('node-oom-kill');
    expect(details(top)).toEqual(
      expect.arrayContaining([expect.stringContaining('29% of its 512MiB limit')]),
    );
  });

  it('OOMKilled below its limit with no sign of the node running short stays container-oom-killed', () => {
    const ctx = podContext(crashed({ exitCode: 137, reason: 'OOMKilled' }), {
      metrics: ok({ workingSetBytes: 300 * 2 ** 20, memoryLimitBytes: 512 * 2 ** 20 }),
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('container-oom-killed');
    expect(ids(all)).not.toContain('node-oom-kill');
  });
});

describe('an OOM kill at the limit that the status does not call OOMKilled', () => {
  it('Error/137 with the working set at the limit and a kernel OOM kill recorded is container-oom-killed', () => {
    const ctx = podContext(crashed({ exitCode: 137, reason: 'Error' }), {
      metrics: ok({ workingSetBytes: 536_000_000, memoryLimitBytes: 536_870_912, oomKillsRecent: 6 }),
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('container-oom-killed');
    expect(all[0]?.confidence).toBe('high');
    expect(ids(all)).not.toContain('external-sigkill');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([expect.stringContaining('the kernel recorded an OOM kill (6 OOM kill(s)')]),
    );
  });

  it.each([
    [
      'container-oom-killed',
      'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f6d2b9e_aa.slice,task=java,pid=4242,uid=1000',
    ],
    [
      'node-oom-kill',
      'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/kubepods/besteffort/pod3f6d2b9e-aa/1c2d,task=java,pid=4242,uid=1000',
    ],
  ])("Error/137 with a kernel oom-kill line naming this pod's cgroup is %s, without any metrics", (id, line) => {
    const ctx = podContext(crashed({ exitCode: 137 }), {
      podOverrides: { uid: '3f6d2b9e-aa' },
      nodeLog: ok(line),
      metrics: ok({}),
    });
    const [top] = findings(alert(), ctx);
    expect(top?.signatureId).toBe(id);
    expect(details(top)).toEqual(expect.arrayContaining([expect.stringContaining(line)]));
  });

  it('Error/137 without any OOM record stays an unexplained SIGKILL', () => {
    const ctx = podContext(crashed({ exitCode: 137, reason: 'Error' }), {
      metrics: ok({ workingSetBytes: 536_000_000, memoryLimitBytes: 536_870_912, oomKillsRecent: 0 }),
    });
    expect(findings(alert(), ctx)[0]?.signatureId).toBe('external-sigkill');
  });

  it('a parent that exits 1 after its child was killed at the limit is container-oom-killed, not app-error-exit', () => {
    const ctx = podContext(crashed({ exitCode: 1 }, { memoryLimit: '2Gi', memoryLimitBytes: 2 * Gi }), {
      nodeEvents: [cgroupOom],
      previousLog: ok('[1] Killed\n[1] npm ERR! code ELIFECYCLE\n[1] npm ERR! errno 137'),
      metrics: ok({ workingSetBytes: 2.04 * Gi, memoryLimitBytes: 2 * Gi, oomKillsRecent: 1 }),
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('container-oom-killed');
    expect(ids(all)).not.toContain('app-error-exit');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([
        expect.stringContaining('a process inside was killed at the limit'),
        '[1] npm ERR! errno 137',
      ]),
    );
  });

  it('an ordinary exit 1 with memory to spare is still an application error', () => {
    const ctx = podContext(crashed({ exitCode: 1 }), {
      metrics: ok({ workingSetBytes: 100 * 2 ** 20, memoryLimitBytes: 512 * 2 ** 20, oomKillsRecent: 1 }),
    });
    expect(findings(alert(), ctx)[0]?.signatureId).toBe('app-error-exit');
    expect(extractFacts(alert(), ctx).has('memory.oomScope')).toBe(false);
  });
});

describe('evictions are node-pressure, not OOM kills', () => {
  const evicted = (message: string) => ({
    phase: 'Failed',
    reason: 'Evicted',
    message,
  });
  const lowOnMemory =
    'The node was low on resource: memory. Container citadel was using 43536Ki, which exceeds its request of 0. ';

  it('an evicted pod on a node still under MemoryPressure is node-pressure, not node-oom-kill', () => {
    const ctx = podContext(unlimited({ exitCode: 137 }), {
      podOverrides: evicted(lowOnMemory),
      node: ok({
        ...node({ MemoryPressure: 'True' }),
        taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }],
      }),
    });
    const all = findings(alert({ alertname: 'KubePodNotReady' }), ctx);
    expect(all[0]?.signatureId).toBe('node-pressure');
    expect(ids(all)).not.toContain('node-oom-kill');
  });

  it.each([
    lowOnMemory,
    'Pod The node was low on resource: [MemoryPressure].',
    'Pod The node had condition: [MemoryPressure]. ',
  ])('the eviction message alone proves it once the node has recovered: %s', (message) => {
    const ctx = podContext(unlimited({ exitCode: 137 }), { podOverrides: evicted(message) });
    const [top] = findings(alert({ alertname: 'KubePodNotReady' }), ctx);
    expect(top?.signatureId).toBe('node-pressure');
    expect(details(top)).toContain(`pod checkout-api-7d9f8c6b5-x2x7q: ${message.trim()}`);
  });

  it('an eviction for disk is not memory pressure', () => {
    const ctx = podContext(unlimited({ exitCode: 137 }), {
      podOverrides: evicted('The node was low on resource: ephemeral-storage.'),
    });
    expect(ids(findings(alert({ alertname: 'KubePodNotReady' }), ctx))).not.toContain('node-pressure');
  });
});
