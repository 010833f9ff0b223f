// StatefulSet and DaemonSet alerts read their ControllerRevisions from the Kubernetes stand-in: what the rollout
// changed, the rollback, one list call per alert, and a refused read (no RBAC grant) that degrades, never fails.
import { describe, expect, it } from 'vitest';
import { startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import type { Scenario } from '../../src/local/cluster/scenario.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { investigateIn } from '../support/investigate-in.js';

const scenarios = new Map(loadScenarios().map((s) => [s.id, s]));
const scenario = (id: string): Scenario => {
  const found = scenarios.get(id);
  if (!found) throw new Error(`missing scenario ${id}`);
  return found;
};
const REVISIONS_PATH = /^\/apis\/apps\/v1\/namespaces\/[^/]+\/controllerrevisions/;

describe('a StatefulSet update that is not rolled out', () => {
  const s = scenario('workload-statefulset-rollout-bad-image');

  it('names what revision 5 changed, rolls back to 4 and deletes the stuck pod, in one revisions list call', async () => {
    const { findings, requests } = await investigateIn(s.cluster, s.webhook);
    const top = findings[0];
    expect(top?.signatureId).toBe('image-not-found');
    expect(top?.summary).toContain(
      'Began with the rollout to revision 5: image registry.example.com/payments/ledger:2.3.0 → 2.3.1 (ledger).',
    );
    expect(top?.remediation[0]).toBe(
      'The failures began after the rollout and only the new revision fails: roll back to revision 4 while you fix it: `kubectl rollout undo statefulset/ledger -n payments --to-revision=4`, then delete the pods already on the bad revision, which the StatefulSet will not replace by itself: `kubectl delete pod ledger-2 -n payments`.',
    );
    const lists = requests.filter((r) => REVISIONS_PATH.test(r.path));
    expect(lists).toHaveLength(1);
    expect(lists[0]?.query.labelSelector).toBe('app.kubernetes.io/name=ledger');
  });

  it("ignores revisions with the set's labels that another owner holds", async () => {
    const revisions = (s.cluster.controllerrevisions ?? []) as {
      metadata: { name: string; uid: string; ownerReferences: { uid: string }[] };
      revision: number;
    }[];
    const newest = revisions.find((r) => r.revision === 5);
    if (!newest) throw new Error('no revision 5');
    const stranger = structuredClone(newest);
    stranger.metadata.name = 'ledger-canary-9f8e7d6c5';
    stranger.metadata.uid = 'cr-stranger';
    stranger.metadata.ownerReferences = [{ ...newest.metadata.ownerReferences[0], uid: 'someone-else' }];
    stranger.revision = 6;
    const { findings } = await investigateIn(
      { ...s.cluster, controllerrevisions: [...revisions, stranger] },
      s.webhook,
    );
    expect(findings[0]?.remediation[0]).toContain('--to-revision=4');
  });

  it('still answers when ControllerRevisions are forbidden (no grant): the cause stands, the revisions named unread', async () => {
    const { findings, context, requests } = await investigateIn(s.cluster, s.webhook, {
      path: REVISIONS_PATH,
      status: 403,
    });
    const top = findings[0];
    expect(top?.signatureId).toBe('image-not-found');
    expect(top?.summary).not.toContain('rollout to revision');
    expect(top?.remediation.join(' ')).not.toContain('--to-revision');
    expect(top?.evidence.map((e) => e.detail).join('\n')).toMatch(
      /revisions unread, so what the last rollout changed is unknown: .*controllerrevisions in payments.*403/,
    );
    expect(context.workload?.status).toBe('ok');
    expect(requests.filter((r) => REVISIONS_PATH.test(r.path))).toHaveLength(1);
  });
});

describe('a DaemonSet rollout that crash-loops', () => {
  it('names the new config path and image and rolls the DaemonSet back to revision 8', async () => {
    const s = scenario('workload-daemonset-rollout-crashloop');
    const { findings, requests } = await investigateIn(s.cluster, s.webhook);
    const top = findings[0];
    expect(top?.signatureId).toBe('config-error');
    expect(top?.summary).toContain(
      'command `/fluent-bit/bin/fluent-bit -c /fluent-bit/etc/fluent-bit.conf` → `/fluent-bit/bin/fluent-bit -c /fluent-bit/etc/fluent-bit.yaml` (fluent-bit)',
    );
    expect(top?.remediation[0]).toContain(
      '`kubectl rollout undo daemonset/log-shipper -n observability --to-revision=8`',
    );
    expect(requests.filter((r) => REVISIONS_PATH.test(r.path))).toHaveLength(1);
  });
});

describe('the stand-in', () => {
  it('lists ControllerRevisions as apps/v1 ControllerRevisionList, filtered by label selector', async () => {
    const s = scenario('workload-daemonset-rollout-crashloop');
    const k8s = await startKubernetesStandIn({ cluster: s.cluster });
    try {
      const url = `${k8s.url}/apis/apps/v1/namespaces/observability/controllerrevisions?labelSelector=${encodeURIComponent('app.kubernetes.io/name=log-shipper')}`;
      const body = (await (await fetch(url)).json()) as {
        apiVersion: string;
        kind: string;
        items: { revision: number; data: { spec: { template: unknown } } }[];
      };
      expect([body.apiVersion, body.kind]).toEqual(['apps/v1', 'ControllerRevisionList']);
      expect(body.items.map((i) => i.revision)).toEqual([8, 9]);
      expect(body.items.every((i) => i.data.spec.template !== undefined)).toBe(true);
      const none = `${k8s.url}/apis/apps/v1/namespaces/observability/controllerrevisions?labelSelector=app%3Dother`;
      expect(((await (await fetch(none)).json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      await k8s.close();
    }
  });
});

/** The scenario's webhook turned into a kube-prometheus pod alert on `pod` (labels as in the fixtures table). */
function podAlert(s: Scenario, alertname: string, pod: string, container: string, reason: string) {
  const webhook = structuredClone(s.webhook) as { alerts: { labels: Record<string, string> }[] };
  const alert = webhook.alerts[0];
  if (!alert) throw new Error('no alert');
  alert.labels = {
    alertname,
    container,
    instance: '10.244.1.23:8443',
    job: 'kube-state-metrics',
    namespace: alert.labels.namespace ?? '',
    pod,
    prometheus: 'monitoring/k8s',
    reason,
    severity: 'warning',
  };
  return webhook;
}

describe('a pod alert whose StatefulSet or DaemonSet just rolled out', () => {
  it("adds the DaemonSet's rollout to a crash-looping pod's finding, with the undo", async () => {
    const s = scenario('workload-daemonset-rollout-crashloop');
    const webhook = podAlert(s, 'KubePodCrashLooping', 'log-shipper-x7k2p', 'fluent-bit', 'CrashLoopBackOff');
    const { findings, requests } = await investigateIn(s.cluster, webhook);
    expect(findings[0]?.signatureId).toBe('config-error');
    expect(findings[0]?.evidence.at(-1)?.detail).toMatch(
      /^daemonset\/log-shipper: began within 22 minutes of the rollout to revision 9: image .*fluent-bit:3\.1\.9 → 3\.2\.2/,
    );
    expect(findings[0]?.remediation[0]).toContain(
      '`kubectl rollout undo daemonset/log-shipper -n observability --to-revision=8`',
    );
    expect(requests.filter((r) => REVISIONS_PATH.test(r.path))).toHaveLength(1);
  });

  it("adds the StatefulSet's rollout to the stuck pod's finding, and names the revisions unread when forbidden", async () => {
    const s = scenario('workload-statefulset-rollout-bad-image');
    const webhook = podAlert(s, 'KubeContainerWaiting', 'ledger-2', 'ledger', 'ImagePullBackOff');
    const read = await investigateIn(s.cluster, webhook);
    expect(read.findings[0]?.signatureId).toBe('image-not-found');
    expect(read.findings[0]?.remediation[0]).toContain(
      '`kubectl rollout undo statefulset/ledger -n payments --to-revision=4`, then delete the pod',
    );
    const forbidden = await investigateIn(s.cluster, webhook, { path: REVISIONS_PATH, status: 403 });
    expect(forbidden.findings[0]?.signatureId).toBe('image-not-found');
    expect(forbidden.findings[0]?.remediation.join(' ')).not.toContain('--to-revision');
    expect(forbidden.findings[0]?.evidence.at(-1)?.detail).toMatch(
      /^statefulset\/ledger: revisions unread, so whether a rollout preceded the failure is unknown: .*403/,
    );
  });
});
