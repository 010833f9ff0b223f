// Proves the Kubernetes API stand-in answers like an API server over real HTTP, and that the demo scenarios load and merge.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveTarget } from '../../src/domain/subject.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import type { Scenario, ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { loadScenarios, mergeClusters, SCENARIO_DIR } from '../../src/local/cluster/scenarios.js';

const OOM_POD = 'checkout-api-7d9f8c6b5-x2x7q';
const WORKLOAD_LISTS = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets',
} as const;
const OOM_NODE = 'ip-10-20-3-41.eu-west-1.compute.internal';
const CONNTRACK_NODE = 'ip-10-20-4-77.eu-west-1.compute.internal';
const PROM = '/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/api/v1/query';

let scenarios: Scenario[];
let demo: ScenarioCluster;
let k8s: KubernetesStandIn;

interface KObject {
  metadata: { name: string; namespace?: string };
  kind?: string;
  reason?: string;
  message?: string;
}
interface KList {
  kind: string;
  items: KObject[];
}
interface PromAnswer {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

const json = <T>(res: Response) => res.json() as Promise<T>;
const get = (path: string, params?: Record<string, string>, init?: RequestInit) =>
  fetch(`${k8s.url}${path}${params ? `?${new URLSearchParams(params)}` : ''}`, init);
const names = (list: KList) =>
  list.items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
const promql = async (query: string, path = PROM) => {
  const res = await get(path, { query });
  return { status: res.status, body: await json<PromAnswer>(res) };
};

beforeAll(() => {
  scenarios = loadScenarios();
  demo = mergeClusters(scenarios.map((s) => s.cluster));
});

beforeEach(async () => {
  k8s = await startKubernetesStandIn({ cluster: demo });
});

afterEach(async () => {
  await k8s.close();
});

describe('core/v1 reads', () => {
  it('serves a pod exactly as stored and a NotFound Status for a missing one', async () => {
    const res = await get(`/api/v1/namespaces/payments/pods/${OOM_POD}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(
      demo.pods?.find((p) => (p.metadata as { name: string }).name === OOM_POD),
    );

    const missing = await get('/api/v1/namespaces/payments/pods/x');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'pods' },
      code: 404,
    });
  });

  it('lists the pods of one node with field selectors, URL-decoded', async () => {
    const res = await get('/api/v1/pods', {
      fieldSelector: `spec.nodeName=${CONNTRACK_NODE},status.phase!=Succeeded`,
    });
    const list = await json<KList>(res);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' } });
    expect(names(list)).toEqual([
      'billing/invoice-worker-7b5d9c6f4-z8r2n',
      'kube-system/aws-node-7hx4k',
      'platform/config-operator-6f9c8b7d5-hx2vj',
      'search/indexer-5d8f7b6c9-t4wq7',
    ]);
    const running = await get('/api/v1/namespaces/billing/pods', { fieldSelector: 'status.phase=Running' });
    expect(names(await json<KList>(running))).toEqual([
      'billing/invoice-archiver-6c9d8b7f5-7xq9w',
      'billing/invoice-worker-7b5d9c6f4-z8r2n',
    ]);
    const byLabel = await get('/api/v1/pods', { labelSelector: 'app.kubernetes.io/name=checkout-api' });
    expect(names(await json<KList>(byLabel))).toEqual([`payments/${OOM_POD}`]);
  });

  it('filters events by involved object and type, and rejects fields the API server cannot select', async () => {
    const res = await get('/api/v1/namespaces/payments/events', {
      fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${OOM_POD}`,
    });
    const list = await json<KList>(res);
    expect(list.kind).toBe('EventList');
    expect(list.items.map((e) => e.reason).sort()).toEqual(['BackOff', 'Created', 'Pulled', 'Started']);
    const warnings = await get('/api/v1/events', {
      fieldSelector: `involvedObject.name=${OOM_POD},type=Warning`,
    });
    expect((await json<KList>(warnings)).items.map((e) => e.reason)).toEqual(['BackOff']);
    const elsewhere = await get('/api/v1/namespaces/shop/events', {
      fieldSelector: `involvedObject.name=${OOM_POD}`,
    });
    expect((await json<KList>(elsewhere)).items).toEqual([]);

    const bad = await get('/api/v1/events', { fieldSelector: `source.host=${OOM_NODE}` });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('serves nodes and services', async () => {
    const node = await (await get(`/api/v1/nodes/${OOM_NODE}`)).json();
    expect(node).toMatchObject({ kind: 'Node', metadata: { name: OOM_NODE } });
    expect((await get('/api/v1/nodes/ip-10-99-9-9')).status).toBe(404);
    const nodes = await json<KList>(await get('/api/v1/nodes'));
    expect(nodes.kind).toBe('NodeList');
    expect(nodes.items).toHaveLength(demo.nodes?.length ?? -1);

    const services = await json<KList>(await get('/api/v1/services'));
    expect(services.kind).toBe('ServiceList');
    expect(names(services)).toContain('monitoring/prometheus-k8s');
    expect(names(await json<KList>(await get('/api/v1/namespaces/payments/services')))).toEqual([
      'payments/checkout-api',
    ]);
  });

  it('serves the previous log as text, honouring tailLines, and the API server errors without one', async () => {
    const path = `/api/v1/namespaces/payments/pods/${OOM_POD}/log`;
    const full = await get(path, { container: 'checkout-api', previous: 'true' });
    expect(full.headers.get('content-type')).toBe('text/plain');
    const text = await full.text();
    expect(text).toContain('Pause Full (G1 Compaction Pause)');

    const tail = await (await get(path, { previous: 'true', tailLines: '2' })).text();
    expect(tail).toBe(`${text.trimEnd().split('\n').slice(-2).join('\n')}\n`);

    const none = await get('/api/v1/namespaces/platform/pods/config-operator-6f9c8b7d5-hx2vj/log', {
      container: 'manager',
      previous: 'true',
    });
    expect(none.status).toBe(400);
    expect((await json<KObject>(none)).message).toBe(
      'previous terminated container "manager" in pod "config-operator-6f9c8b7d5-hx2vj" not found',
    );
    expect((await get('/api/v1/namespaces/payments/pods/gone/log', { previous: 'true' })).status).toBe(404);
  });

  it('answers 404 Status for paths it does not serve', async () => {
    const res = await get('/apis/apps/v1/namespaces/payments/deployments/checkout-api');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});

describe('Prometheus through the service proxy', () => {
  it('evaluates aggregations, range functions and counters as real PromQL does', async () => {
    const { status, body } = await promql(
      `max(max_over_time(container_memory_working_set_bytes{namespace="payments", pod="${OOM_POD}", container="checkout-api", metrics_path="/metrics/cadvisor"}[30m]))`,
    );
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('vector');
    expect(body.data.result).toHaveLength(1);
    // An aggregation without `by` keeps no labels (real Prometheus answers `{}` here).
    expect(body.data.result[0]?.metric).toEqual({});
    expect(body.data.result[0]?.value[1]).toBe('533725184');
    expect(typeof body.data.result[0]?.value[0]).toBe('number');

    const drops = await promql(
      `sum by (instance) (rate(node_nf_conntrack_stat_drop{instance="${CONNTRACK_NODE}"}[5m]))`,
    );
    // The scenario's counter grows by 42.5 a second: its rate, not its value, is what the query yields.
    expect(drops.body.data.result).toEqual([
      { metric: { instance: CONNTRACK_NODE }, value: [expect.any(Number), '42.5'] },
    ]);
    const counter = await promql(`node_nf_conntrack_stat_drop{instance="${CONNTRACK_NODE}"}`);
    expect(counter.body.data.result.map((r) => r.value[1])).toEqual([String(42.5 * 3600)]);
  });

  it('supports !=, =~ and !~ matchers, other service segment forms and POST', async () => {
    // Nodes whose scenario serves conntrack series (a NotReady node's exporter may serve none).
    const nodeCount = new Set(
      (demo.prometheus?.series ?? [])
        .filter((x) => x.metric === 'node_nf_conntrack_entries')
        .map((x) => x.labels.instance),
    ).size;
    const regex = await promql('node_nf_conntrack_entries_limit{instance=~"ip-10-20-4-.*"}');
    expect(regex.body.data.result.map((r) => r.metric.instance)).toEqual([CONNTRACK_NODE]);
    const anchored = await promql('node_nf_conntrack_entries_limit{instance=~"10-20-4"}');
    expect(anchored.body.data.result).toEqual([]);
    const others = await promql(
      `node_nf_conntrack_entries{instance!="${CONNTRACK_NODE}", instance!~"ip-10-20-[35]-.*"}`,
    );
    expect(others.body.data.result.length).toBe(nodeCount - 3);

    const viaPortName = await promql(
      'node_nf_conntrack_entries',
      '/api/v1/namespaces/monitoring/services/https:prometheus-k8s:web/proxy/api/v1/query',
    );
    expect(viaPortName.body.data.result).toHaveLength(nodeCount);

    const posted = await fetch(`${k8s.url}${PROM}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: `node_nf_conntrack_entries_limit{instance="${CONNTRACK_NODE}"}` }),
    });
    expect((await json<PromAnswer>(posted)).data.result[0]?.value[1]).toBe('131072');
  });

  it('answers an empty vector when nothing matches, 400 bad_data for a bad query', async () => {
    const empty = await promql(
      'rate(node_netstat_TcpExt_ListenOverflows{instance="ip-10-20-9-99.eu-west-1.compute.internal"}[5m])',
    );
    expect(empty).toEqual({
      status: 200,
      body: { status: 'success', data: { resultType: 'vector', result: [] } },
    });

    for (const bad of ['rate(node_cpu_seconds_total{mode="iowait"[5m])', '1 + 1', 'up{job=~"("}']) {
      const { status, body } = await promql(bad);
      expect(status).toBe(400);
      expect(body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    }
  });

  it('answers 503 in plain text like a failing proxy when the cluster has no Prometheus', async () => {
    const { prometheus: _, ...withoutPrometheus } = demo;
    k8s.load(withoutPrometheus);
    const res = await get(PROM, { query: 'up' });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe(
      'error trying to reach service: dial tcp 10.0.0.1:9090: connect: connection refused',
    );
  });
});

describe('authentication, recording and faults', () => {
  it('rejects requests without the bearer token and records the accepted ones', async () => {
    const guarded = await startKubernetesStandIn({ cluster: demo, token: 'example-sa-token' });
    try {
      const denied = await fetch(`${guarded.url}/api/v1/nodes`);
      expect(denied.status).toBe(401);
      expect(await denied.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
      const wrong = await fetch(`${guarded.url}/api/v1/nodes`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);

      const ok = await fetch(`${guarded.url}/api/v1/pods?fieldSelector=spec.nodeName%3Dn1`, {
        headers: { authorization: 'Bearer example-sa-token' },
      });
      expect(ok.status).toBe(200);
      expect(guarded.requests).toEqual([
        {
          method: 'GET',
          path: '/api/v1/pods',
          query: { fieldSelector: 'spec.nodeName=n1' },
          authorization: 'Bearer example-sa-token',
          at: expect.any(Number),
        },
      ]);
    } finally {
      await guarded.close();
    }
  });

  it('injects a status fault for the given number of matching requests only', async () => {
    k8s.addFault({ path: /\/pods\//, status: 500, times: 1 });
    const first = await get(`/api/v1/namespaces/payments/pods/${OOM_POD}`);
    expect(first.status).toBe(500);
    expect(await first.json()).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    expect((await get('/api/v1/nodes')).status).toBe(200);
    expect((await get(`/api/v1/namespaces/payments/pods/${OOM_POD}`)).status).toBe(200);

    k8s.addFault({ path: /fieldSelector=spec\.nodeName/, status: 403 });
    for (let i = 0; i < 2; i += 1)
      expect((await get('/api/v1/pods', { fieldSelector: 'spec.nodeName=x' })).status).toBe(403);
    k8s.clearFaults();
    expect((await get('/api/v1/pods', { fieldSelector: 'spec.nodeName=x' })).status).toBe(200);
  });

  it('delays a matching request, then answers normally', async () => {
    k8s.addFault({ path: /\/nodes$/, delayMs: 30 });
    const started = performance.now();
    expect((await get('/api/v1/nodes')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('leaves a hanging request open until close() ends it', async () => {
    const hanging = await startKubernetesStandIn({ cluster: demo });
    hanging.addFault({ path: /\/nodes/, hang: true });
    const pending = fetch(`${hanging.url}/api/v1/nodes`);
    await vi.waitFor(() => expect(hanging.requests).toHaveLength(1));
    await hanging.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('demo scenarios', () => {
  it('loads every scenario file, sorted by id, each with a v4 webhook of at least one alert', () => {
    const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json'));
    expect(scenarios).toHaveLength(files.length);
    expect(scenarios.map((s) => s.id)).toEqual([...scenarios.map((s) => s.id)].sort());
    for (const s of scenarios) {
      expect(s.webhook.version, s.id).toBe('4');
      const alerts = s.webhook.alerts as { status: string; endsAt: string; fingerprint: string }[];
      expect(alerts.length, s.id).toBeGreaterThan(0);
      for (const a of alerts) {
        expect(a.fingerprint, s.id).toMatch(/^[0-9a-f]{16}$/);
        if (a.status === 'firing') expect(a.endsAt, s.id).toBe('0001-01-01T00:00:00Z');
      }
    }
  });

  it('finds every alerted subject in its own scenario cluster', () => {
    const meta = (o: Record<string, unknown>) => o.metadata as { name: string; namespace?: string };
    const has = (items: readonly Record<string, unknown>[] | undefined, name?: string, namespace?: string) =>
      (items ?? []).some(
        (o) => meta(o).name === name && (namespace === undefined || meta(o).namespace === namespace),
      );
    for (const s of scenarios) {
      for (const alert of s.webhook.alerts as { labels: Record<string, string> }[]) {
        const target = resolveTarget(alert.labels);
        const where = `${s.id}: ${target.kind}`;
        const workload = target.workload;
        if (workload) {
          const list = s.cluster[WORKLOAD_LISTS[workload.kind]] ?? [];
          const found = list.some(
            (o) => meta(o).name === workload.name && meta(o).namespace === target.namespace,
          );
          expect(found, `${s.id}: ${workload.kind} ${target.namespace}/${workload.name}`).toBe(true);
        }
        if (target.kind === 'pod')
          expect(has(s.cluster.pods, target.pod, target.namespace), where).toBe(true);
        if (target.kind === 'node' && target.node)
          expect(has(s.cluster.nodes, target.node), where).toBe(true);
        if (target.kind === 'node' && !target.node) {
          const addresses = (s.cluster.nodes ?? []).flatMap((n) =>
            ((n.status as { addresses?: { address: string }[] }).addresses ?? []).map((a) => a.address),
          );
          expect(addresses, where).toContain(target.nodeAddress);
        }
        if (target.kind === 'pvc')
          expect(has(s.cluster.persistentvolumeclaims, target.pvc, target.namespace), where).toBe(true);
        if (target.kind === 'namespace' && target.quota)
          expect(has(s.cluster.resourcequotas, target.quota, target.namespace), where).toBe(true);
        expect(target.kind, where).not.toBe('none');
      }
    }
  });

  it('merges all scenarios into one cluster keeping every pod once', () => {
    const all = scenarios.flatMap((s) => s.cluster.pods ?? []);
    const keys = (demo.pods ?? []).map((p) => {
      const m = p.metadata as { namespace: string; name: string };
      return `${m.namespace}/${m.name}`;
    });
    expect(keys).toHaveLength(all.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(demo.prometheus?.series.length).toBe(
      scenarios.reduce((n, s) => n + (s.cluster.prometheus?.series.length ?? 0), 0),
    );
  });

  it('lets a later object of the same kind, namespace and name replace an earlier one', () => {
    const pod = (phase: string) => ({ metadata: { namespace: 'a', name: 'p' }, status: { phase } });
    const merged = mergeClusters([
      { pods: [pod('Pending')], prometheus: { series: [{ metric: 'm', labels: {}, value: 1 }] } },
      { pods: [pod('Running')], services: [{ metadata: { namespace: 'a', name: 'p' } }] },
    ]);
    expect(merged.pods).toEqual([pod('Running')]);
    expect(merged.services).toHaveLength(1);
    expect(merged.prometheus?.series).toHaveLength(1);
    expect(mergeClusters([{ pods: [] }]).prometheus).toBeUndefined();
  });

  it('names the file when a scenario is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    try {
      const broken = { id: 'broken', title: 'x', expect: {}, cluster: {} };
      writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
      expect(() => loadScenarios(dir)).toThrow(/broken\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
