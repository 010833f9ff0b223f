// The stand-in's named API groups over real HTTP: apps, batch, autoscaling and policy objects, lists by label
// selector (equality and set-based), and the API server's 404 and 400 answers; read back through the real adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubernetesClusterInspector,
  kubeConfigFor,
} from '../../src/adapters/kubernetes/cluster-inspector.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { loadScenarios, mergeClusters } from '../../src/local/cluster/scenarios.js';

let k8s: KubernetesStandIn;
beforeAll(async () => {
  k8s = await startKubernetesStandIn({ cluster: mergeClusters(loadScenarios().map((s) => s.cluster)) });
});
afterAll(async () => {
  await k8s.close();
});

interface KList {
  apiVersion: string;
  kind: string;
  items: { metadata: { name: string; namespace: string } }[];
}
const get = async (path: string, params?: Record<string, string>) => {
  const res = await fetch(`${k8s.url}${path}${params ? `?${new URLSearchParams(params)}` : ''}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const names = (body: Record<string, unknown>) =>
  (body as unknown as KList).items.map((o) => o.metadata.name).sort();

describe('named API groups', () => {
  it.each([
    ['/apis/apps/v1/namespaces/webshop/deployments/catalog-api', 'Deployment'],
    ['/apis/apps/v1/namespaces/warehouse/statefulsets/stock-db', 'StatefulSet'],
    ['/apis/apps/v1/namespaces/edge/daemonsets/envoy-edge', 'DaemonSet'],
    ['/apis/batch/v1/namespaces/nightly/jobs/nightly-export-29391840', 'Job'],
    ['/apis/batch/v1/namespaces/nightly/cronjobs/nightly-export', 'CronJob'],
    [
      '/apis/autoscaling/v2/namespaces/recommender/horizontalpodautoscalers/recs-api',
      'HorizontalPodAutoscaler',
    ],
  ])('GET %s serves the %s', async (path, kind) => {
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expect(body.kind).toBe(kind);
  });

  it('answers a missing object with a 404 Status naming the resource and group, as the API server does', async () => {
    const { status, body } = await get('/apis/apps/v1/namespaces/webshop/deployments/nope');
    expect(status).toBe(404);
    expect(body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
  });

  it('serves only the versions it knows: autoscaling/v1 is not a route here', async () => {
    expect(
      (await get('/apis/autoscaling/v1/namespaces/recommender/horizontalpodautoscalers/recs-api')).status,
    ).toBe(404);
  });

  it('lists ReplicaSets by label selector in one namespace, as a typed list', async () => {
    const { status, body } = await get('/apis/apps/v1/namespaces/webshop/replicasets', {
      labelSelector: 'app.kubernetes.io/name=catalog-api',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ apiVersion: 'apps/v1', kind: 'ReplicaSetList' });
    expect(names(body)).toEqual(['catalog-api-5b8f7c9d4', 'catalog-api-7d4b9c6f8']);
  });
});

describe('label selectors', () => {
  it('selects pods with set-based terms: in, notin, exists and does-not-exist', async () => {
    const pods = (selector: string) => get('/api/v1/namespaces/webshop/pods', { labelSelector: selector });
    expect(names((await pods('pod-template-hash in (7d4b9c6f8)')).body)).toEqual([
      'catalog-api-7d4b9c6f8-q2w8r',
    ]);
    expect(
      names((await pods('app.kubernetes.io/name=catalog-api,pod-template-hash notin (7d4b9c6f8)')).body),
    ).toHaveLength(3);
    expect(names((await pods('pod-template-hash')).body)).toHaveLength(4);
    expect(names((await pods('!pod-template-hash')).body)).toEqual([]);
  });

  it('refuses a selector it cannot parse with a 400 Status', async () => {
    const { status, body } = await get('/api/v1/namespaces/webshop/pods', { labelSelector: 'app in (a' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', code: 400 });
    expect(String(body.message)).toMatch(/^unable to parse requirement/);
    expect(
      (await get('/apis/apps/v1/namespaces/webshop/replicasets', { labelSelector: 'a=b c' })).status,
    ).toBe(400);
  });
});

describe('through the real adapter', () => {
  const inspector = () =>
    new KubernetesClusterInspector(
      kubeConfigFor({ mode: 'proxy', url: k8s.url, token: undefined }),
      undefined,
      2000,
    );

  it('reads a Deployment, its ReplicaSets newest revision first, and its pods with one selector list call', async () => {
    const ins = inspector();
    const before = k8s.requests.length;
    const d = await ins.workload('webshop', 'Deployment', 'catalog-api');
    expect(d).toMatchObject({
      kind: 'Deployment',
      revision: '42',
      replicas: { desired: 3, available: 3, updated: 1 },
    });
    expect(d?.conditions.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    expect(d?.template?.containers[0]?.image).toBe('registry.example.com/webshop/catalog-api:1.4.3');
    const rs = await ins.replicaSets('webshop', 'app.kubernetes.io/name=catalog-api', d?.uid);
    expect(rs.map((r) => r.revision)).toEqual([42, 41]);
    const pods = await ins.podsMatching('webshop', 'app.kubernetes.io/name=catalog-api');
    expect(pods.map((p) => p.revisionHash).sort()).toEqual([
      '5b8f7c9d4',
      '5b8f7c9d4',
      '5b8f7c9d4',
      '7d4b9c6f8',
    ]);
    const calls = k8s.requests.slice(before);
    expect(calls.map((r) => r.path)).toEqual([
      '/apis/apps/v1/namespaces/webshop/deployments/catalog-api',
      '/apis/apps/v1/namespaces/webshop/replicasets',
      '/api/v1/namespaces/webshop/pods',
    ]);
    expect(calls[2]?.query.labelSelector).toBe('app.kubernetes.io/name=catalog-api');
  });

  it("reads a Job with its CronJob's schedule, an HPA's metrics against target, and answers undefined for a missing object", async () => {
    const ins = inspector();
    const job = await ins.workload('nightly', 'Job', 'nightly-export-29391840');
    expect(job?.job).toMatchObject({
      failed: 4,
      backoffLimit: 3,
      cronJob: { name: 'nightly-export', schedule: '0 2 * * *' },
    });
    const hpa = await ins.workload('recommender', 'HorizontalPodAutoscaler', 'recs-api');
    expect(hpa?.hpa?.metrics).toEqual([
      { name: 'cpu', current: '93%', target: '70%', currentValue: 93, targetValue: 70 },
    ]);
    expect(await ins.workload('recommender', 'PodDisruptionBudget', 'none')).toBeUndefined();
  });
});
