// The service's two ways to a real Prometheus: PROMETHEUS_URL, and the API server's service proxy as in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { resolveTarget } from '../../src/domain/alert.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { gatherContext } from '../../src/triage/gather.js';
import { buildInspector } from '../../src/wiring.js';
import { freePort } from '../support/child-process.js';
import { alert } from '../support/contexts.js';
import { EXPECTED, fixtureCluster, NODE } from '../support/metric-series.js';
import { type RunningPrometheus, realPrometheusSkip, startPrometheus } from '../support/prometheus.js';

const skip = realPrometheusSkip();
const { prometheus: _, ...clusterWithoutSeries } = fixtureCluster();

describe.skipIf(skip)(`the service reading a real Prometheus${skip ? ` (${skip})` : ''}`, () => {
  let prometheus: RunningPrometheus;
  let k8s: KubernetesStandIn;

  beforeAll(async () => {
    prometheus = await startPrometheus(fixtureCluster().prometheus?.series ?? []);
    // No series in the stand-in: an answer can only come from the real Prometheus behind the proxy.
    k8s = await startKubernetesStandIn({ cluster: clusterWithoutSeries, prometheusUrl: prometheus.url });
  });
  afterAll(async () => {
    await k8s?.close();
    await prometheus?.stop();
  });

  const gather = (env: Record<string, string>) =>
    gatherContext(resolveTarget(alert().labels), buildInspector(loadConfig(env, 'local')));

  it('through the service proxy (PROMETHEUS_SERVICE, the default): one request, every key answered', async () => {
    const before = k8s.requests.length;
    const context = await gather({ CLUSTER_PROXY_URL: k8s.url });
    expect(context.metrics.status).toBe('ok');
    const values = context.metrics.status === 'ok' ? context.metrics.value : {};
    expect(Object.keys(values).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(values.conntrackDropRate).toBeCloseTo(42.5, 9);
    expect(values.oomKillsRecent).toBeCloseTo(3, 9);
    const proxied = k8s.requests.slice(before).filter((r) => r.path.includes('/proxy/'));
    expect(proxied.map((r) => r.path)).toEqual([
      '/api/v1/namespaces/monitoring/services/prometheus-k8s%3A9090/proxy/api/v1/query',
    ]);
    expect(proxied[0]?.query.query).toMatch(/^label_replace\(/);
  });

  it('through PROMETHEUS_URL, bypassing the API server', async () => {
    const before = k8s.requests.length;
    const context = await gather({ CLUSTER_PROXY_URL: k8s.url, PROMETHEUS_URL: prometheus.url });
    expect(context.metrics.status).toBe('ok');
    expect(context.metrics.status === 'ok' && context.metrics.value.listenDropRate).toBeCloseTo(38.1, 9);
    expect(k8s.requests.slice(before).filter((r) => r.path.includes('/proxy/'))).toEqual([]);
  });

  it('relays Prometheus errors through the proxy as the API server does (a 400 for a bad query)', async () => {
    const res = await fetch(
      `${k8s.url}/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/api/v1/query?query=${encodeURIComponent('rate(up[5m]')}`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });

    const posted = await fetch(
      `${k8s.url}/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/api/v1/query`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          query: `max(node_load1{instance="${NODE}"})`,
          time: String(prometheus.now),
        }),
      },
    );
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({
      data: { result: [{ metric: {}, value: [prometheus.now, '12'] }] },
    });
  });

  it('answers 503 like a failing proxy when the Prometheus behind it is gone', async () => {
    const gone = await startKubernetesStandIn({
      cluster: clusterWithoutSeries,
      prometheusUrl: `http://127.0.0.1:${await freePort()}`,
    });
    try {
      const context = await gather({ CLUSTER_PROXY_URL: gone.url });
      expect(context.metrics).toMatchObject({ status: 'unavailable' });
    } finally {
      await gone.close();
    }
  });
});
