// Node-level context is read once for a storm of alerts on one node, and failures are not cached.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { buildInspector } from '../../src/wiring.js';

const scenario = loadScenarios().find((s) => s.id === 'conntrack-full-node')!;
const node = 'ip-10-20-4-77.eu-west-1.compute.internal';
let k8s: KubernetesStandIn;
afterEach(async () => {
  await k8s.close();
});

describe('caching inspector', () => {
  it('reads a node, its events and its pods once for many alerts', async () => {
    k8s = await startKubernetesStandIn({ cluster: scenario.cluster });
    const inspector = buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url }, 'local'));
    for (let i = 0; i < 5; i += 1)
      await Promise.all([inspector.node(node), inspector.nodeEvents(node), inspector.podsOnNode(node)]);
    const paths = k8s.requests.map((r) => r.path);
    expect(paths.filter((p) => p === `/api/v1/nodes/${node}`)).toHaveLength(1);
    expect(paths.filter((p) => p === '/api/v1/events')).toHaveLength(1);
    expect(paths.filter((p) => p === '/api/v1/pods')).toHaveLength(1);
  });

  it('does not keep a failure: the next alert reads again', async () => {
    k8s = await startKubernetesStandIn({ cluster: scenario.cluster });
    k8s.addFault({ path: /\/api\/v1\/nodes\//, status: 500, times: 1 });
    const inspector = buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url }, 'local'));
    await expect(inspector.node(node)).rejects.toThrow(/HTTP 500/);
    expect((await inspector.node(node))?.name).toBe(node);
  });
});
