// The node-health signatures on plain contexts: node alerts and pod alerts whose node is the cause.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { NodeSnapshot } from '../../src/domain/context.js';
import { ok, unavailable } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import { alert, container, context, event, NODE, node, peer, pod } from '../support/contexts.js';
import {
  details,
  ids,
  nodeAlert,
  nodeContext,
  nodeEvent,
  nodeMetrics,
  steps,
} from '../support/network-fixtures.js';

const GiB = 2 ** 30;
function withCondition(
  base: NodeSnapshot,
  type: string,
  status: string,
  reason: string,
  message: string,
): NodeSnapshot {
  return {
    ...base,
    conditions: base.conditions.map((c) => (c.type === type ? { type, status, reason, message } : c)),
  };
}

describe('disk-full', () => {
  it('diagnoses a node alert from DiskPressure, the free-space ratio and the kubelet events', () => {
    const ctx = nodeContext({
      node: {
        ...withCondition(
          node(),
          'DiskPressure',
          'True',
          'KubeletHasDiskPressure',
          'kubelet has disk pressure',
        ),
        taints: [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }],
      },
      nodeEvents: [
        nodeEvent('EvictionThresholdMet', 'Attempting to reclaim ephemeral-storage', 'Warning', 7),
        nodeEvent(
          'FreeDiskSpaceFailed',
          'Failed to garbage collect required amount of images. Attempted to free 9663676416 bytes, but only found 0 bytes eligible to free.',
        ),
      ],
      metrics: ok(nodeMetrics({ rootFsAvailableBytes: 2.1 * GiB, rootFsSizeBytes: 80 * GiB })),
    });
    const findings = diagnose(nodeAlert('NodeFilesystemAlmostOutOfSpace'), ctx, BUILT_IN_SIGNATURES);
    const [top] = findings;
    expect(top?.signatureId).toBe('disk-full');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('condition DiskPressure=True'),
        `root filesystem on ${NODE}: 2.1GiB free of 80GiB (2.6%)`,
        'Warning EvictionThresholdMet (x7): Attempting to reclaim ephemeral-storage',
        expect.stringContaining('FreeDiskSpaceFailed'),
      ]),
    );
    expect(top?.summary).toContain(NODE);
    expect(steps(top)).toContain('crictl rmi --prune');
    expect(steps(top)).toContain(`kubectl drain ${NODE} --ignore-daemonsets --delete-emptydir-data`);
    expect(steps(top)).not.toMatch(/<(namespace|pod|container|workload|node)>/);
  });

  it('diagnoses a pod stuck creating because the runtime cannot write', () => {
    const creating = container({ ready: false, waiting: { reason: 'ContainerCreating' } });
    const [top] = diagnose(
      alert({ alertname: 'KubeContainerWaiting' }),
      context({
        pod: ok({ ...pod([creating]), phase: 'Pending' }),
        node: ok(
          withCondition(
            node(),
            'DiskPressure',
            'True',
            'KubeletHasDiskPressure',
            'kubelet has disk pressure',
          ),
        ),
        podEvents: [
          event(
            'FailedCreatePodSandBox',
            'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create containerd task: mkdir /var/lib/containerd/io.containerd.runtime.v2.task/k8s.io/5b9be8c5: no space left on device',
            'Warning',
            86,
          ),
        ],
        metrics: ok(nodeMetrics()),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('disk-full');
    expect(details(top)).toEqual([
      expect.stringContaining('condition DiskPressure=True'),
      expect.stringContaining('no space left on device'),
    ]);
  });

  it('does not fire on a disk above the image-GC threshold but below the eviction threshold', () => {
    const ctx = nodeContext({
      nodeEvents: [nodeEvent('FreeDiskSpaceFailed', 'Failed to garbage collect required amount of images.')],
      metrics: ok(nodeMetrics({ rootFsAvailableBytes: 14 * GiB, rootFsSizeBytes: 80 * GiB })),
    });
    expect(ids(diagnose(nodeAlert('NodeFilesystemSpaceFillingUp'), ctx, BUILT_IN_SIGNATURES))).not.toContain(
      'disk-full',
    );
  });
});

describe('memory-fragmentation', () => {
  const setns =
    'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to start sandbox container task "5b9be8c5bb12": OCI runtime create failed: container_linux.go:380: starting container process caused: process_linux.go:385: running exec setns process for init caused: exit status 6: unknown';

  it('names fragmentation from the kernel page allocation failure and the setns exit', () => {
    const creating = container({ ready: false, waiting: { reason: 'ContainerCreating' } });
    const [top] = diagnose(
      alert({ alertname: 'KubeContainerWaiting' }),
      context({
        pod: ok({ ...pod([creating]), phase: 'Pending' }),
        podEvents: [event('FailedCreatePodSandBox', setns, 'Warning', 42)],
        nodeEvents: [
          nodeEvent(
            'PageAllocationFailure',
            'kernel: runc:[1:CHILD]: page allocation failure: order:6, mode:0x10c0d0',
            'Warning',
            17,
          ),
        ],
        metrics: ok(nodeMetrics({ memoryAvailableBytes: 11.8 * GiB, memoryTotalBytes: 31 * GiB })),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('memory-fragmentation');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('page allocation failure: order:6'),
        expect.stringContaining('exit status 6'),
        expect.stringContaining('(38.1%)'),
      ]),
    );
    expect(steps(top)).toContain('cat /proc/buddyinfo');
    expect(steps(top)).toContain('echo 1 > /proc/sys/vm/compact_memory');
    expect(steps(top)).toContain('echo 3 > /proc/sys/vm/drop_caches');
  });

  it('needs the setns failure: a kernel allocation failure alone does not stop sandboxes', () => {
    const findings = diagnose(
      alert(),
      context({
        podEvents: [event('BackOff', 'Back-off restarting failed container checkout-api')],
        nodeEvents: [nodeEvent('KernelOops', 'kernel: java: page allocation failure: order:4, mode:0x280da')],
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(ids(findings)).not.toContain('memory-fragmentation');
  });
});

describe('node-not-ready', () => {
  const unknown = {
    ...withCondition(node(), 'Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
    taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    ],
  };

  it('diagnoses KubeNodeNotReady from the Ready condition and quotes the kubelet silence', () => {
    const ctx = nodeContext({
      node: unknown,
      nodeEvents: [nodeEvent('NodeNotReady', `Node ${NODE} status is now: NodeNotReady`, 'Normal')],
      metrics: ok({}),
    });
    const [top] = diagnose(nodeAlert('KubeNodeNotReady', { node: NODE }), ctx, BUILT_IN_SIGNATURES);
    expect(top?.signatureId).toBe('node-not-ready');
    expect(top?.summary).toContain('Ready=Unknown');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Kubelet stopped posting node status.'),
        'taint node.kubernetes.io/unreachable:NoSchedule',
      ]),
    );
    expect(steps(top)).toContain('systemctl status kubelet containerd');
    expect(steps(top)).toContain('journalctl -u kubelet');
  });

  it('also explains a pod alert on that node', () => {
    const [top] = diagnose(alert(), context({ node: ok(unknown) }), BUILT_IN_SIGNATURES);
    expect(top?.signatureId).toBe('node-not-ready');
  });
});

describe('node-pressure', () => {
  const pressured: NodeSnapshot = {
    ...withCondition(
      node(),
      'MemoryPressure',
      'True',
      'KubeletHasInsufficientMemory',
      'kubelet has insufficient memory available',
    ),
    taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }],
  };

  it('diagnoses memory pressure and the evictions it causes', () => {
    const ctx = nodeContext({
      node: pressured,
      nodeEvents: [nodeEvent('EvictionThresholdMet', 'Attempting to reclaim memory', 'Warning', 3)],
      metrics: ok(nodeMetrics({ memoryAvailableBytes: 0.9 * GiB, oomKillsRecent: 4 })),
    });
    const [top] = diagnose(
      nodeAlert('KubeNodePressure', { node: NODE, condition: 'MemoryPressure' }),
      ctx,
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('node-pressure');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        'taint node.kubernetes.io/memory-pressure:NoSchedule',
        expect.stringContaining('MemoryPressure=True'),
        'Warning EvictionThresholdMet (x3): Attempting to reclaim memory',
        expect.stringContaining('(2.9%)'),
        `OOM-killer kills on ${NODE} in the last 30m: 4`,
      ]),
    );
  });

  it('explains an evicted pod', () => {
    const evicted = {
      ...pod([container({ ready: false })]),
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 87232Ki.',
    };
    const [top] = diagnose(
      alert({ alertname: 'KubePodNotReady' }),
      context({ pod: ok(evicted), node: ok(pressured), podEvents: [event('Evicted', evicted.message)] }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('node-pressure');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('reason Evicted'),
        expect.stringContaining('low on resource: memory'),
      ]),
    );
  });

  it('does not match PID or memory trouble the kubelet has not flagged', () => {
    const ctx = nodeContext({ metrics: ok(nodeMetrics({ memoryAvailableBytes: 2.5 * GiB })) });
    expect(ids(diagnose(nodeAlert('NodeMemoryHighUtilization'), ctx, BUILT_IN_SIGNATURES))).not.toContain(
      'node-pressure',
    );
  });
});

describe('node-high-load', () => {
  it('diagnoses NodeSystemSaturation from load per core and iowait', () => {
    const ctx = nodeContext({
      metrics: ok(nodeMetrics({ load1: 29.4, cpuCores: 8, iowaitRatio: 0.46 })),
      nodeEvents: [
        nodeEvent('TaskHung', 'kernel: INFO: task jbd2/nvme1n1-8:1184 blocked for more than 120 seconds.'),
      ],
      peers: [peer('search-indexer-0', { ready: false, restarts: 3 })],
    });
    const [top] = diagnose(nodeAlert('NodeSystemSaturation'), ctx, BUILT_IN_SIGNATURES);
    expect(top?.signatureId).toBe('node-high-load');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        `load on ${NODE}: 29.4 over 8 CPUs = 3.68 per core`,
        `CPU time in iowait on ${NODE}: 46.0% over 5m`,
        expect.stringContaining('blocked for more than 120 seconds'),
      ]),
    );
    expect(steps(top)).toContain('iostat -x 1 5');
    expect(steps(top)).toContain('iotop');
  });

  it('is a node-alert signature: a pod alert on a loaded node without probe trouble does not get it', () => {
    const findings = diagnose(
      alert(),
      context({ metrics: ok(nodeMetrics({ load1: 29.4 })) }),
      BUILT_IN_SIGNATURES,
    );
    expect(ids(findings)).not.toContain('node-high-load');
  });

  it('cannot be proven without Prometheus', () => {
    const ctx = nodeContext({ metrics: unavailable('Prometheus: HTTP 503') });
    expect(diagnose(nodeAlert('NodeSystemSaturation'), ctx, BUILT_IN_SIGNATURES)).toEqual([]);
  });
});

describe('a healthy node', () => {
  it('gets no finding for a conntrack warning below the table-full threshold', () => {
    const ctx = nodeContext({
      metrics: ok(nodeMetrics({ conntrackEntries: 204993, conntrackLimit: 262144 })),
      peers: [peer('storefront-5c7d9b8f6-2kq9x'), peer('cart-6b9c8d7f5-9wz2t')],
    });
    expect(diagnose(nodeAlert('NodeHighNumberConntrackEntriesUsed'), ctx, BUILT_IN_SIGNATURES)).toEqual([]);
  });
});
