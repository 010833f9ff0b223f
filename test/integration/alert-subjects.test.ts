// Claim, node-by-address, quota and control-plane alerts through the real client against the API stand-in.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { resolveTarget, WebhookSchema } from '../../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import type { Scenario } from '../../src/local/cluster/scenario.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { investigate } from '../../src/triage/investigate.js';
import { buildInspector } from '../../src/wiring.js';

const scenarios = loadScenarios();
const byId = (id: string): Scenario => {
  const found = scenarios.find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
};

let k8s: KubernetesStandIn;
afterEach(async () => {
  await k8s.close();
});

async function run(scenario: Scenario, edit: (s: Scenario) => Scenario = (s) => s) {
  const s = edit(scenario);
  k8s = await startKubernetesStandIn({ cluster: s.cluster });
  const inspector = buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url }, 'local'));
  const alert = WebhookSchema.parse(s.webhook).alerts[0];
  if (!alert) throw new Error('no alert');
  return investigate(alert, resolveTarget(alert.labels), {
    inspector,
    signatures: BUILT_IN_SIGNATURES,
    now: () => new Date(alert.startsAt),
  });
}

/** The scenario with its Prometheus series relabelled: a query that ignores the label finds the wrong series. */
function relabel(s: Scenario, label: string, from: string, to: string): Scenario {
  const series = (s.cluster.prometheus?.series ?? []).map((x) =>
    x.labels[label] === from ? { ...x, labels: { ...x.labels, [label]: to } } : x,
  );
  return { ...s, cluster: { ...s.cluster, prometheus: { series } } };
}

describe('a claim alert', () => {
  it('reads the claim, its volume, its class and the pods mounting it, in a bounded number of calls', async () => {
    const { context, findings } = await run(byId('pvc-filling-up-loaded-node'));
    expect(context.claim?.status).toBe('ok');
    const claim = context.claim?.status === 'ok' ? context.claim.value : undefined;
    expect(claim?.claim?.capacity).toBe('100Gi');
    expect(claim?.volume?.driver).toBe('ebs.csi.aws.com');
    expect(claim?.storageClass?.allowVolumeExpansion).toBe(true);
    expect(claim?.mountedBy?.map((p) => [p.name, p.mountPath])).toEqual([
      ['orders-db-0', '/var/lib/postgresql/data'],
    ]);
    // The kubelet's node is not read: its load is not the claim's evidence.
    expect(context.node.status).toBe('skipped');
    expect(findings[0]?.signatureId).toBe('pvc-filling-up');
    expect(findings[0]?.remediation.join('\n')).toContain(
      `kubectl patch pvc data-orders-db-0 -n orders -p '{"spec":{"resources":{"requests":{"storage":"200Gi"}}}}'`,
    );
    const paths = k8s.requests.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/orders/persistentvolumeclaims/data-orders-db-0',
        '/api/v1/persistentvolumes/pvc-7d3c4f1e-2b1a-4c77-9d0e-3a5f8e6b2c41',
        '/apis/storage.k8s.io/v1/storageclasses/gp3',
        '/api/v1/namespaces/orders/pods',
      ]),
    );
    expect(paths.length).toBeLessThanOrEqual(6);
  });

  it('queries that claim only: the series of another claim does not answer', async () => {
    const { findings } = await run(byId('pvc-filling-up-loaded-node'), (s) =>
      relabel(s, 'persistentvolumeclaim', 'data-orders-db-0', 'data-orders-db-1'),
    );
    expect(findings.map((f) => f.signatureId)).not.toContain('pvc-filling-up');
  });

  it('a claim that is gone is unavailable, and the alert still answers one step less sure', async () => {
    const { context, findings } = await run(byId('pvc-filling-up-loaded-node'), (s) => ({
      ...s,
      cluster: { ...s.cluster, persistentvolumeclaims: [], prometheus: { series: [] } },
    }));
    expect(context.claim).toEqual({
      status: 'unavailable',
      reason: 'persistentvolumeclaim orders/data-orders-db-0 not found (deleted?)',
    });
    // No series at all: the volume stats are absent, not unknown, so nothing is claimed about the fill level.
    expect(findings.map((f) => f.signatureId)).not.toContain('pvc-filling-up');
  });
});

describe('a volume alert', () => {
  it('KubePersistentVolumeErrors names the volume: its claim and the pods mounting it are read through it', async () => {
    const { context } = await run(byId('pvc-filling-up-loaded-node'), (s) => ({
      ...s,
      webhook: {
        ...s.webhook,
        alerts: [
          {
            ...(s.webhook.alerts as Record<string, unknown>[])[0],
            labels: {
              alertname: 'KubePersistentVolumeErrors',
              container: 'kube-rbac-proxy-main',
              instance: '10.244.1.23:8443',
              job: 'kube-state-metrics',
              persistentvolume: 'pvc-7d3c4f1e-2b1a-4c77-9d0e-3a5f8e6b2c41',
              phase: 'Failed',
              severity: 'critical',
            },
          },
        ],
      },
    }));
    const claim = context.claim?.status === 'ok' ? context.claim.value : undefined;
    expect(claim?.volume?.name).toBe('pvc-7d3c4f1e-2b1a-4c77-9d0e-3a5f8e6b2c41');
    expect(claim?.claim?.name).toBe('data-orders-db-0');
    expect(claim?.mountedBy?.map((p) => p.name)).toEqual(['orders-db-0']);
  });
});

describe('a node alert', () => {
  it('maps instance=<ip>:9100 to the node with that InternalIP and queries node-exporter by that instance', async () => {
    const { context, findings } = await run(byId('node-exporter-ip-instance'));
    expect(context.target.node).toBe('ip-10-40-14-31.eu-west-1.compute.internal');
    expect(context.node.status).toBe('ok');
    expect(findings[0]?.signatureId).toBe('node-filesystem-filling');
    expect(findings[0]?.summary).toContain('on ip-10-40-14-31.eu-west-1.compute.internal is 88.1% full');
    const query = k8s.requests.find((r) => r.path.endsWith('/api/v1/query'))?.query.query ?? '';
    expect(query).toContain('node_filesystem_avail_bytes{instance="10.40.14.31:9100", mountpoint="/"');
  });

  it('lists the nodes once for a storm of address alerts (the list is cached)', async () => {
    const s = byId('node-exporter-ip-instance');
    k8s = await startKubernetesStandIn({ cluster: s.cluster });
    const inspector = buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url }, 'local'));
    const alert = WebhookSchema.parse(s.webhook).alerts[0];
    if (!alert) throw new Error('no alert');
    const deps = { inspector, signatures: BUILT_IN_SIGNATURES, now: () => new Date(alert.startsAt) };
    const runs = await Promise.all(
      [1, 2, 3, 4, 5].map(() => investigate(alert, resolveTarget(alert.labels), deps)),
    );
    expect(runs.map((r) => r.findings[0]?.signatureId)).toEqual(Array(5).fill('node-filesystem-filling'));
    expect(k8s.requests.filter((r) => r.path === '/api/v1/nodes')).toHaveLength(1);
  });

  it('an address no node has is said so, not guessed', async () => {
    const { context } = await run(byId('node-exporter-ip-instance'), (s) => ({
      ...s,
      cluster: { ...s.cluster, nodes: [] },
    }));
    expect(context.node).toEqual({ status: 'unavailable', reason: 'no node has the InternalIP 10.40.14.31' });
  });

  it('reads the filesystem of the alert: a mountpoint or device that differs from the series finds nothing', async () => {
    const imagefs = byId('node-imagefs-filling');
    const wrongDevice = await run(imagefs, (s) => relabel(s, 'device', '/dev/nvme1n1', '/dev/nvme2n1'));
    expect(wrongDevice.findings[0]?.signatureId).not.toBe('node-filesystem-filling');
    await k8s.close();
    const wrongMount = await run(imagefs, (s) =>
      relabel(s, 'mountpoint', '/var/lib/containerd', '/var/lib/docker'),
    );
    expect(wrongMount.findings[0]?.signatureId).not.toBe('node-filesystem-filling');
  });
});

describe('quota and control-plane alerts', () => {
  it('reads the ResourceQuota and the FailedCreate events that name it', async () => {
    const { context, findings } = await run(byId('quota-exceeded'));
    const quota = context.quota?.status === 'ok' ? context.quota.value : undefined;
    expect(quota?.quota.used['requests.cpu']).toBe('24');
    expect(quota?.refusals.map((e) => e.involvedName)).toEqual(['report-builder-7c4f9d8b5']);
    expect(findings[0]?.signatureId).toBe('quota-exceeded');
  });

  it('does not call KubeSchedulerDown unscrapeable on a cluster that runs its own control plane', async () => {
    const { findings } = await run(byId('control-plane-not-scraped-eks'), (s) => ({
      ...s,
      cluster: {
        ...s.cluster,
        nodes: (s.cluster.nodes ?? []).map((n) => {
          const metadata = n.metadata as { labels: Record<string, string> };
          return {
            ...n,
            metadata: {
              ...metadata,
              labels: { ...metadata.labels, 'node-role.kubernetes.io/control-plane': '' },
            },
          };
        }),
      },
    }));
    expect(findings.map((f) => f.signatureId)).not.toContain('control-plane-not-scraped');
  });
});
