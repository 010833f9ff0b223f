// The alert is evidence: what fired decides the answer, not whatever state the node happens to be in (issue 13).
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { MetricValues, TriageContext } from '../../src/domain/context.js';
import { ok, skipped, unavailable } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import { extractFacts, FACT_NAMES } from '../../src/domain/facts.js';
import { unavailablePieces } from '../../src/domain/incident.js';
import { observedContext } from '../../src/domain/observed.js';
import { alert, NODE, node } from '../support/contexts.js';
import { details, ids, nodeAlert, nodeContext, nodeMetrics } from '../support/network-fixtures.js';

const GiB = 2 ** 30;
/** A node at load 29 on 8 CPUs: node-high-load holds, whatever the alert. */
const loaded = (extra: Record<string, number | null> = {}): MetricValues =>
  nodeMetrics({ load1: 29.4, cpuCores: 8, iowaitRatio: 0.4, ...extra });

const top = (a: ReturnType<typeof alert>, ctx: TriageContext) => diagnose(a, ctx, BUILT_IN_SIGNATURES)[0];

describe('measured mistakes: a loaded node answered alerts about something else', () => {
  it('NodeNetworkReceiveErrs on a loaded node is about the device, not the load', () => {
    const a = nodeAlert('NodeNetworkReceiveErrs', { device: 'ens5' });
    const ctx = nodeContext({
      metrics: ok(loaded({ netReceiveErrsRate: 41.5, netReceivePacketsRate: 2900, netMtuBytes: 9001 })),
    });
    const findings = diagnose(a, ctx, BUILT_IN_SIGNATURES);
    expect(ids(findings)).not.toContain('node-high-load');
    expect(findings[0]?.signatureId).toBe('node-network-errors');
    expect(findings[0]?.summary).toContain('ens5');
    expect(details(findings[0])).toContain(`1.4% of the packets received on ens5 on ${NODE} have errors`);
  });

  it('NodeFilesystemAlmostOutOfSpace on /var/lib/containerd is about that filesystem while / is fine', () => {
    const a = nodeAlert('NodeFilesystemAlmostOutOfSpace', {
      mountpoint: '/var/lib/containerd',
      device: '/dev/nvme1n1',
      fstype: 'xfs',
      severity: 'critical',
    });
    const ctx = nodeContext({
      metrics: ok(
        loaded({ fsAvailBytes: 2.4 * GiB, fsSizeBytes: 100 * GiB, fsFillBytesPerSecond: (1.5 * GiB) / 3600 }),
      ),
    });
    const findings = diagnose(a, ctx, BUILT_IN_SIGNATURES);
    expect(ids(findings)).not.toContain('node-high-load');
    const [first] = findings;
    expect(first?.signatureId).toBe('node-filesystem-filling');
    expect(first?.summary).toContain('/var/lib/containerd (/dev/nvme1n1');
    expect(first?.summary).toContain('97.6% full');
    expect(first?.summary).toContain('1.5GiB');
    expect(first?.summary).toContain('about 2 hours');
    expect(first?.remediation.join('\n')).toContain('df -h /var/lib/containerd');
  });

  it('KubePersistentVolumeFillingUp is answered from the claim, never from the kubelet node', () => {
    const a = alert({
      alertname: 'KubePersistentVolumeFillingUp',
      namespace: 'search',
      persistentvolumeclaim: 'data-search-indexer-0',
      node: NODE,
      job: 'kubelet',
      severity: 'critical',
      pod: '',
      container: '',
    });
    const ctx: TriageContext = {
      ...nodeContext({ metrics: ok(loaded({ pvcAvailableBytes: 1.1 * GiB, pvcCapacityBytes: 50 * GiB })) }),
      target: { kind: 'pvc', namespace: 'search', pvc: 'data-search-indexer-0', node: NODE },
    };
    const first = top(a, ctx);
    expect(first?.signatureId).toBe('pvc-filling-up');
    expect(first?.confidence).toBe('high');
    expect(first?.summary).toContain('search/data-search-indexer-0');
    expect(first?.summary).toContain('97.8% full');
  });
});

describe('alerts about a healthy node name what fired', () => {
  it('a clock that is not synchronising', () => {
    const ctx = nodeContext({
      metrics: ok(
        nodeMetrics({ clockSyncStatus: 0, clockOffsetSeconds: -0.742, clockMaxErrorSeconds: 16.5 }),
      ),
    });
    const first = top(nodeAlert('NodeClockNotSynchronising'), ctx);
    expect(first?.signatureId).toBe('node-clock-unsynchronised');
    expect(details(first)).toContain(
      `the kernel reports the clock of ${NODE} not synchronised for the last 5m (node_timex_sync_status=0)`,
    );
  });

  it('inodes running out on a filesystem with plenty of bytes', () => {
    const a = nodeAlert('NodeFilesystemFilesFillingUp', {
      mountpoint: '/',
      device: '/dev/nvme0n1p1',
      fstype: 'ext4',
    });
    const ctx = nodeContext({
      metrics: ok(
        nodeMetrics({
          fsAvailBytes: 40 * GiB,
          fsSizeBytes: 80 * GiB,
          fsFilesFree: 98_000,
          fsFiles: 5_242_880,
        }),
      ),
    });
    const first = top(a, ctx);
    expect(first?.signatureId).toBe('node-inodes-exhausted');
    expect(first?.summary).toContain('98.1%');
  });

  it('file handles near fs.file-max', () => {
    const ctx = nodeContext({
      metrics: ok(nodeMetrics({ filefdAllocated: 2_700_000, filefdMaximum: 3_247_692 })),
    });
    expect(top(nodeAlert('NodeFileDescriptorLimit'), ctx)?.signatureId).toBe('node-fd-limit');
  });

  it('without Prometheus the alert still names its cause, one step less sure, and says what it could not check', () => {
    const ctx = nodeContext({
      metrics: unavailable('Prometheus (service monitoring/prometheus-k8s:9090): timed out'),
    });
    const first = top(nodeAlert('NodeClockNotSynchronising'), ctx);
    expect(first?.signatureId).toBe('node-clock-unsynchronised');
    expect(first?.confidence).toBe('medium');
    expect(first?.unchecked?.join(' ')).toContain('Prometheus');
  });

  it('metrics that contradict the alert (the clock is synchronised again) give no diagnosis', () => {
    const ctx = nodeContext({
      metrics: ok(
        nodeMetrics({ clockSyncStatus: 1, clockOffsetSeconds: 0.0002, clockMaxErrorSeconds: 0.01 }),
      ),
    });
    expect(top(nodeAlert('NodeClockNotSynchronising'), ctx)).toBeUndefined();
    // No diagnosis, but the message still says what the alert named.
    expect(observedContext(nodeAlert('NodeClockNotSynchronising'), ctx)).toContain(
      `the kernel reports the clock of ${NODE} synchronised (node_timex_sync_status=1)`,
    );
  });

  it('a claim part that could not be read is listed as unavailable, and its facts are unknown', () => {
    const ctx: TriageContext = {
      ...nodeContext(),
      claim: ok({ unread: ['pods mounting the claim: list pods in orders: HTTP 403'] }),
    };
    expect(unavailablePieces(ctx)).toContain(
      'PersistentVolumeClaim, pods mounting the claim: list pods in orders: HTTP 403',
    );
    expect(extractFacts(alert(), ctx).get('pvc.mountedByCount')).toEqual({
      kind: 'unknown',
      reason: 'pods mounting the claim: list pods in orders: HTTP 403',
    });
  });
});

describe('the alert labels are facts', () => {
  it('every fact the alert-driven queries produce is a listed fact', () => {
    const all = {
      ...loaded(),
      fsAvailBytes: 1,
      fsSizeBytes: 2,
      fsFilesFree: 1,
      fsFiles: 2,
      fsFillBytesPerSecond: 1,
      pvcAvailableBytes: 1,
      pvcCapacityBytes: 2,
      pvcInodesFree: 1,
      pvcInodes: 2,
      pvcFillBytesPerSecond: 1,
      netReceiveErrsRate: 1,
      netReceivePacketsRate: 2,
      netTransmitErrsRate: 1,
      netTransmitPacketsRate: 2,
      netReceiveDropRate: 1,
      netMtuBytes: 1500,
      clockOffsetSeconds: 0.1,
      clockMaxErrorSeconds: 1,
      clockSyncStatus: 0,
      runningPods: 10,
      podCapacity: 110,
      cpuThrottledPeriodsRate: 1,
      cpuPeriodsRate: 2,
      cpuUsageCores: 1,
      cpuLimitCores: 2,
      cpuRequestCores: 1,
      cpuRequestsTotal: 10,
      cpuAllocatableTotal: 20,
      cpuAllocatableLargest: 4,
    };
    const ctx: TriageContext = {
      ...nodeContext({ metrics: ok(all) }),
      target: { kind: 'node', node: NODE, pvc: 'data', namespace: 'db', container: 'c', pod: 'p' },
    };
    const a = nodeAlert('NodeNetworkReceiveErrs', { device: 'ens5' });
    const produced = [...extractFacts(a, ctx).keys()].filter((k) => k.startsWith('metrics.'));
    expect(produced.filter((k) => !FACT_NAMES.includes(k))).toEqual([]);
    expect(produced).toEqual(
      expect.arrayContaining(['metrics.pvcCapacityBytes', 'metrics.netErrorRatio', 'metrics.podsRatio']),
    );
  });

  it('every label and annotation is a fact a signature can test', () => {
    const a = nodeAlert('NodeFilesystemAlmostOutOfSpace', {
      mountpoint: '/var/lib/kubelet',
      eviction_signal: 'nodefs.available',
    });
    const facts = extractFacts(
      { ...a, annotations: { description: 'Filesystem has 2% left.' } },
      nodeContext(),
    );
    const value = (name: string) => {
      const f = facts.get(name);
      return f?.kind === 'value' ? f.value : undefined;
    };
    expect(value('alert.label.mountpoint')).toBe('/var/lib/kubelet');
    expect(value('alert.label.eviction_signal')).toBe('nodefs.available');
    expect(value('alert.annotation.description')).toBe('Filesystem has 2% left.');
  });

  it('CPUThrottlingHigh is answered with the throttled share and the limit', () => {
    const a = alert({ alertname: 'CPUThrottlingHigh', severity: 'info', service: 'kubelet' });
    const ctx: TriageContext = {
      ...nodeContext(),
      target: {
        kind: 'pod',
        namespace: 'payments',
        pod: 'checkout-api-7d9f8c6b5-x2x7q',
        container: 'checkout-api',
      },
      pod: skipped('not read in this test'),
      metrics: ok({
        cpuThrottledPeriodsRate: 8.1,
        cpuPeriodsRate: 10,
        cpuUsageCores: 0.49,
        cpuLimitCores: 0.5,
      }),
    };
    const first = top(a, ctx);
    expect(first?.signatureId).toBe('cpu-throttling');
    expect(first?.summary).toContain('81.0%');
  });
});

describe('the generic node signatures stay out of alerts about a part', () => {
  // Everything wrong at once: loaded, NotReady, disk and memory pressure, conntrack full.
  const sick = nodeContext({
    node: {
      ...node({ Ready: 'False', DiskPressure: 'True', MemoryPressure: 'True' }),
      taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }],
    },
    metrics: ok(loaded({ conntrackEntries: 260_000, conntrackLimit: 262_144 })),
  });
  const GENERIC = ['node-high-load', 'node-pressure', 'node-not-ready', 'disk-full', 'conntrack-table-full'];

  it.each([
    ['NodeNetworkReceiveErrs', { device: 'ens5' }, []],
    ['NodeClockNotSynchronising', {}, []],
    ['NodeFileDescriptorLimit', {}, []],
    ['KubeletTooManyPods', {}, []],
    ['NodeFilesystemFilesFillingUp', { mountpoint: '/', device: '/dev/nvme0n1p1' }, ['disk-full']],
    ['NodeHighNumberConntrackEntriesUsed', {}, ['conntrack-table-full']],
    ['NodeSystemSaturation', {}, GENERIC],
  ])('%s gets only the generic answers about its own part', (name, labels, allowed) => {
    const found = ids(diagnose(nodeAlert(name, labels), sick, BUILT_IN_SIGNATURES));
    expect(found.filter((id) => GENERIC.includes(id)).sort()).toEqual([...allowed].sort());
  });
});

describe('cluster capacity', () => {
  it('KubeMemoryOvercommit quotes requests and allocatable in bytes, without the largest node', () => {
    const ctx: TriageContext = {
      ...nodeContext(),
      target: { kind: 'cluster' },
      metrics: ok({
        memoryRequestsTotal: 200 * GiB,
        memoryAllocatableTotal: 256 * GiB,
        memoryAllocatableLargest: 64 * GiB,
      }),
    };
    const first = top(
      alert({ alertname: 'KubeMemoryOvercommit', pod: '', namespace: '', container: '' }),
      ctx,
    );
    expect(first?.signatureId).toBe('overcommit');
    expect(first?.summary).toContain('request 200GiB of memory against 256GiB allocatable: 104.2%');
    expect(first?.summary).toContain('"Insufficient memory"');
  });
});
