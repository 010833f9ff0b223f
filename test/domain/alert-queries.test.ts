// Queries take their parameters from the alert, escaped, and never carry a value with control characters.
import { describe, expect, it } from 'vitest';
import { alertQueries } from '../../src/domain/alert-queries.js';
import { managedProvider } from '../../src/domain/subject-context.js';

const node = 'ip-10-40-13-22.eu-west-1.compute.internal';
const exporter = { job: 'node-exporter', instance: node };
const promql = (labels: Record<string, string>, key: string) =>
  alertQueries(
    { alertname: 'NodeFilesystemAlmostOutOfSpace', ...labels },
    { kind: 'node', node },
    node,
    undefined,
  ).find((q) => q.key === key)?.promql;

describe('alert queries', () => {
  it('select the filesystem by the alert mountpoint, device and fstype', () => {
    expect(
      promql(
        { ...exporter, mountpoint: '/var/lib/containerd', device: '/dev/nvme1n1', fstype: 'xfs' },
        'fsAvailBytes',
      ),
    ).toBe(
      `max(node_filesystem_avail_bytes{instance="${node}", mountpoint="/var/lib/containerd", device="/dev/nvme1n1", fstype="xfs"})`,
    );
  });

  it('escape quotes and backslashes, and leave out a label value with control characters', () => {
    expect(promql({ ...exporter, mountpoint: '/mnt/a"b\\c' }, 'fsSizeBytes')).toBe(
      `max(node_filesystem_size_bytes{instance="${node}", mountpoint="/mnt/a\\"b\\\\c"})`,
    );
    expect(promql({ ...exporter, mountpoint: '/"}) or vector(1) #\n' }, 'fsSizeBytes')).toBeUndefined();
    expect(promql({ ...exporter, mountpoint: '/', device: 'sda\u0000' }, 'fsSizeBytes')).toBe(
      `max(node_filesystem_size_bytes{instance="${node}", mountpoint="/"})`,
    );
  });

  it('ask a network alert for that device, and a kube-state-metrics node alert for no node-exporter series', () => {
    const net = alertQueries(
      { alertname: 'NodeNetworkReceiveErrs', ...exporter, device: 'ens5' },
      { kind: 'node', node },
      node,
      undefined,
    );
    expect(net.find((q) => q.key === 'netReceiveErrsRate')?.promql).toBe(
      `sum(rate(node_network_receive_errs_total{instance="${node}", device="ens5"}[5m]))`,
    );
    const ksm = alertQueries(
      { alertname: 'KubeNodeNotReady', job: 'kube-state-metrics', instance: '10.244.1.23:8443', node },
      { kind: 'node', node },
      node,
      undefined,
    );
    expect(ksm.map((q) => q.key)).toEqual(['runningPods', 'podCapacity']);
  });

  it('ask a claim alert for that claim, and CPUThrottlingHigh for that container', () => {
    const claim = alertQueries(
      {
        alertname: 'KubePersistentVolumeFillingUp',
        namespace: 'orders',
        persistentvolumeclaim: 'data-orders-db-0',
      },
      { kind: 'pvc', namespace: 'orders', pvc: 'data-orders-db-0' },
      undefined,
      undefined,
    );
    expect(claim.find((q) => q.key === 'pvcFillBytesPerSecond')?.promql).toBe(
      'max(deriv(kubelet_volume_stats_used_bytes{namespace="orders", persistentvolumeclaim="data-orders-db-0"}[6h]))',
    );
    const cpu = alertQueries(
      { alertname: 'CPUThrottlingHigh' },
      { kind: 'pod', namespace: 'edge', pod: 'gw-1', container: 'gateway' },
      undefined,
      'gateway',
    );
    expect(cpu.map((q) => q.key)).toContain('cpuThrottledPeriodsRate');
  });
});

describe('managed provider', () => {
  const eks = {
    name: 'a',
    providerID: 'aws:///eu-west-1a/i-1',
    labels: { 'eks.amazonaws.com/nodegroup': 'ng' },
    internalIPs: [],
  };
  it('is named by a node-pool label, else by the providerID scheme', () => {
    expect(managedProvider([eks]).provider).toBe('EKS');
    expect(
      managedProvider([{ name: 'g', providerID: 'gce://p/z/g', labels: {}, internalIPs: [] }]),
    ).toMatchObject({
      provider: 'GKE',
      evidence: 'node g providerID gce://p/z/g',
    });
    expect(managedProvider([{ name: 'k', labels: {}, internalIPs: [] }]).provider).toBeUndefined();
  });

  it('counts control-plane nodes, which a managed cluster does not have', () => {
    const cp = {
      name: 'cp',
      providerID: 'aws:///eu-west-1a/i-2',
      labels: { 'node-role.kubernetes.io/control-plane': '' },
      internalIPs: [],
    };
    expect(managedProvider([eks, cp]).controlPlaneNodes).toBe(1);
    expect(managedProvider([eks]).controlPlaneNodes).toBe(0);
  });
});
