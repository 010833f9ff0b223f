// The inspector wrappers (cache, budget, prefetched reads) built from one helper: each changes only its own calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { withPrefetched } from '../../src/triage/inspect-target.js';
import { wrapInspector } from '../../src/triage/wrap-inspector.js';
import { buildInspector } from '../../src/wiring.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
const NS = 'payments';
const POD = 'checkout-api-7d9f8c6b5-x2x7q';
let k8s: KubernetesStandIn;
beforeAll(async () => {
  k8s = await startKubernetesStandIn({ cluster: oom.cluster });
});
afterAll(async () => k8s.close());

const inspector = () =>
  buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url, PROMETHEUS_SERVICE: '' }, 'local'));
const requestsTo = (path: string) => k8s.requests.filter((r) => r.path === path).length;

describe('wrapInspector', () => {
  it('runs every method through `around` with its name and arguments, on the inner object', async () => {
    const seen: string[] = [];
    class Inner {
      readonly prefix = 'inner';
      async pod(ns: string, name: string) {
        return `${this.prefix}:${ns}/${name}`;
      }
    }
    const wrapped = wrapInspector(new Inner(), async (method, args, call) => {
      seen.push(`${method}(${args.join(',')})`);
      return call();
    });
    expect(await wrapped.pod('a', 'b')).toBe('inner:a/b');
    expect(wrapped.prefix).toBe('inner');
    expect(seen).toEqual(['pod(a,b)']);
  });
});

describe('the worker inspector (cache over budget over Kubernetes)', () => {
  it('reads a pod each time it is asked: pod reads are per alert, never cached', async () => {
    const path = `/api/v1/namespaces/${NS}/pods/${POD}`;
    const before = requestsTo(path);
    const cluster = inspector();
    await cluster.pod(NS, POD);
    await cluster.pod(NS, POD);
    expect(requestsTo(path) - before).toBe(2);
  });
});

describe('withPrefetched', () => {
  it('answers the pod already read without a request, and passes every other read through', async () => {
    const cluster = inspector();
    const pod = await cluster.pod(NS, POD);
    expect(pod?.name).toBe(POD);
    const prefetched = withPrefetched(cluster, { pod: pod! });
    const podPath = `/api/v1/namespaces/${NS}/pods/${POD}`;
    const before = requestsTo(podPath);
    expect(await prefetched.pod(NS, POD)).toBe(pod);
    expect(requestsTo(podPath)).toBe(before);
    expect(await prefetched.pod(NS, 'another-pod')).toBeUndefined();
    expect(requestsTo(`/api/v1/namespaces/${NS}/pods/another-pod`)).toBe(1);
    const eventsBefore = k8s.requests.length;
    await prefetched.podEvents(NS, POD);
    expect(k8s.requests.length).toBeGreaterThan(eventsBefore);
  });
});
