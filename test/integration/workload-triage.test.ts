// Workload alerts end to end: webhook -> the workload, its revisions and pods from the Kubernetes stand-in -> the
// pods' cause in the workload's state -> one Slack message; and a fixed number of cluster calls per alert.
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import type { Scenario, ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';
import { investigateIn } from '../support/investigate-in.js';

const scenarios = new Map(loadScenarios().map((s) => [s.id, s]));
const scenario = (id: string): Scenario => {
  const found = scenarios.get(id);
  if (!found) throw new Error(`missing scenario ${id}`);
  return found;
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a workload alert through triage', () => {
  it("answers a stuck rollout with the new pods' cause, what changed, and the rollback to the previous revision", async () => {
    const s = scenario('workload-rollout-image-not-found');
    h = await startHarness({ cluster: s.cluster });
    expect((await postWebhook(h, s.webhook)).status).toBe(200);
    await h.queue.idle();

    const posts = h.slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    const text = JSON.stringify(posts[0]?.body.blocks);
    expect(text).toContain(
      'deployment/webshop/catalog-api: 3 of 3 replicas available, 1 of 3 updated: ImagePullBackOff',
    );
    expect(text).toContain(
      'began with the rollout to revision 42: image registry.example.com/webshop/catalog-api:1.4.2 → 1.4.3',
    );
    expect(text).toContain('kubectl rollout undo deployment/catalog-api -n webshop --to-revision=41');

    const response = await getJson(h, '/incidents');
    const [incident] = ((await response.json()) as { items: Incident[] }).items;
    expect(incident?.target).toEqual({
      kind: 'workload',
      namespace: 'webshop',
      workload: { kind: 'Deployment', name: 'catalog-api' },
    });
    expect(incident?.findings[0]?.signatureId).toBe('image-not-found');
    expect(incident?.findings[0]?.evidence.some((e) => e.source === 'workload')).toBe(true);
    expect(incident?.unavailable).toEqual([]);
  });

  it("notes when the same cause hit the same workload before, from a workload alert as from its pods' alerts", async () => {
    const s = scenario('workload-replicas-oom-killed');
    h = await startHarness({ cluster: s.cluster });
    const again = structuredClone(s.webhook) as { alerts: { startsAt: string }[] };
    const first = again.alerts[0];
    if (!first) throw new Error('no alert');
    first.startsAt = '2026-11-23T10:00:00Z';
    await postWebhook(h, s.webhook);
    await h.queue.idle();
    await postWebhook(h, again);
    await h.queue.idle();
    const [latest, earlier] = ((await (await getJson(h, '/incidents')).json()) as { items: Incident[] })
      .items;
    expect(earlier?.findings[0]?.recurrence).toBeUndefined();
    expect(latest?.findings[0]?.recurrence).toEqual({ count: 1, lastAt: earlier?.startsAt });
  });

  it('says the workload could not be found instead of diagnosing nothing in silence', async () => {
    const s = scenario('workload-rollout-image-not-found');
    h = await startHarness({ cluster: { ...s.cluster, deployments: [] } });
    expect((await postWebhook(h, s.webhook)).status).toBe(200);
    await h.queue.idle();
    const [incident] = ((await (await getJson(h, '/incidents')).json()) as { items: Incident[] }).items;
    expect(incident?.findings).toEqual([]);
    expect(incident?.unavailable).toEqual([
      'the workload: Deployment webshop/catalog-api not found (deleted?)',
    ]);
  });
});

/** The OOM scenario's cluster with `n` crash-looping replicas instead of two. */
function withReplicas(cluster: ScenarioCluster, n: number): ScenarioCluster {
  const pods = (cluster.pods ?? []) as { metadata: { name: string; uid: string } }[];
  const failing = pods[0];
  if (!failing) throw new Error('no pod');
  const copies = Array.from({ length: n }, (_, i) => {
    const copy = structuredClone(failing);
    copy.metadata.name = `cart-api-6c9d7f8b5-r${String(i).padStart(4, '0')}`;
    copy.metadata.uid = `uid-${i}`;
    return copy;
  });
  return { ...cluster, pods: copies };
}

async function callsFor(cluster: ScenarioCluster, s: Scenario) {
  const { calls, findings } = await investigateIn(cluster, s.webhook);
  return { calls, top: findings[0]?.signatureId, summary: findings[0]?.summary };
}

describe('cluster calls per workload alert', () => {
  it('stay the same for 3 and 300 failing replicas: one selector list, the worst three pods diagnosed, the rest counted', async () => {
    const s = scenario('workload-replicas-oom-killed');
    const few = await callsFor(withReplicas(s.cluster, 3), s);
    const many = await callsFor(withReplicas(s.cluster, 300), s);
    expect(few.top).toBe('container-oom-killed');
    expect(many.top).toBe('container-oom-killed');
    expect(many.calls).toBe(few.calls);
    expect(many.calls).toBeLessThanOrEqual(25);
    expect(many.summary).toContain('all 300 OOMKilled at 512Mi');
  });
});

describe('other workload kinds and partial reads', () => {
  it("a PodDisruptionBudget's alert diagnoses the pods its selector selects, in the budget's terms", async () => {
    const s = scenario('workload-replicas-oom-killed');
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'cart-api', namespace: 'checkout', uid: 'pdb-1' },
      spec: {
        minAvailable: 2,
        selector: {
          matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['cart-api'] }],
        },
      },
      status: {
        currentHealthy: 1,
        desiredHealthy: 2,
        disruptionsAllowed: 0,
        expectedPods: 3,
        observedGeneration: 1,
      },
    };
    const webhook = structuredClone(s.webhook) as { alerts: { labels: Record<string, string> }[] };
    const labels = webhook.alerts[0]?.labels;
    if (!labels) throw new Error('no labels');
    delete labels.deployment;
    labels.alertname = 'KubePdbNotEnoughHealthyPods';
    labels.poddisruptionbudget = 'cart-api';
    const { findings } = await investigateIn({ ...s.cluster, poddisruptionbudgets: [pdb] }, webhook);
    expect(findings[0]?.signatureId).toBe('container-oom-killed');
    expect(findings[0]?.summary).toMatch(
      /^poddisruptionbudget\/checkout\/cart-api: 1 healthy of 2 required \(3 expected pods\), 0 disruptions allowed: both OOMKilled at 512Mi\./,
    );
  });

  it('an HPA at its ceiling is still answered when its pods cannot be listed, one step less sure and saying why', async () => {
    const s = scenario('workload-hpa-maxed-out');
    const { findings } = await investigateIn(s.cluster, s.webhook, {
      path: /^\/api\/v1\/namespaces\/recommender\/pods/,
      status: 503,
    });
    expect(findings[0]?.signatureId).toBe('hpa-maxed-out');
    expect(findings[0]?.confidence).toBe('medium');
    expect(findings[0]?.unchecked?.join(' ')).toContain(
      'could not rule out workload.podCause: the pods unavailable: pods of Deployment recommender/recs-api',
    );
  });
});
