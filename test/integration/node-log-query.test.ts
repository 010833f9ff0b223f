// The optional node log query: off by default; when configured, the kernel's own words become evidence.
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { incidentId } from '../../src/domain/incident.js';
import type { ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';

const scenario = loadScenarios().find((s) => s.id === 'conntrack-full-node')!;
const node = 'ip-10-20-4-77.eu-west-1.compute.internal';
const kernel =
  'Nov 23 08:31:02 ip-10-20-4-77 kernel: nf_conntrack: nf_conntrack: table full, dropping packet';
// Prometheus unreachable: only the node's own log can prove the table is full.
const cluster: ScenarioCluster = {
  ...scenario.cluster,
  prometheus: undefined as never,
  nodeLogs: [
    { node, query: 'kernel', text: `${kernel}\nNov 23 08:31:03 ip-10-20-4-77 kernel: ${'x'.repeat(10)}` },
  ],
};
delete (cluster as { prometheus?: unknown }).prometheus;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function diagnosis(): Promise<Incident> {
  const alert = (scenario.webhook as { alerts: { fingerprint: string; startsAt: string }[] }).alerts[0]!;
  await postWebhook(h, scenario.webhook);
  await h.queue.idle();
  return (await (await getJson(h, `/incidents/${incidentId(alert)}`)).json()) as Incident;
}

describe('node log query', () => {
  it('is off by default: no nodes/proxy call is made', async () => {
    h = await startHarness({ cluster });
    const incident = await diagnosis();
    expect(h.k8s.requests.some((r) => r.path.includes('/proxy/logs'))).toBe(false);
    expect(incident.findings[0]?.signatureId).not.toBe('conntrack-table-full');
  });

  it('when configured, quotes the kernel line and proves conntrack-table-full without Prometheus', async () => {
    h = await startHarness({ cluster, env: { NODE_LOG_QUERY: 'kernel' } });
    const incident = await diagnosis();
    expect(h.k8s.requests.filter((r) => r.path === `/api/v1/nodes/${node}/proxy/logs/`)).toHaveLength(1);
    expect(incident.findings[0]?.signatureId).toBe('conntrack-table-full');
    expect(incident.findings[0]?.evidence).toContainEqual({
      source: 'logs',
      detail: expect.stringContaining('table full, dropping packet'),
    });
    expect(incident.unavailable.join('\n')).toMatch(/Prometheus/);
  });
});
