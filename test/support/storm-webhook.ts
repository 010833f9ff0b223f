// A storm-sized Alertmanager webhook built from the demo scenarios: real pod alerts padded with alerts for gone pods.
import type { Scenario } from '../../src/local/cluster/scenario.js';

export type Alert = {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
};

export type Webhook = { status: string; alerts: Alert[] } & Record<string, unknown>;

/** The first alert of every pod scenario, padded with alerts for pods that no longer exist, in one group. */
export function stormWebhook(
  scenarios: readonly Scenario[],
  size: number,
  groupKey = '{}:{cluster="prod"}',
): Webhook {
  const real = scenarios
    .map((s) => (s.webhook as { alerts: Alert[] }).alerts[0]!)
    .filter((a) => a.labels.pod && a.labels.job === 'kube-state-metrics');
  const alerts: Alert[] = [];
  for (let i = 0; alerts.length < size; i += 1) {
    const base = real[i % real.length]!;
    const ghost = i >= real.length;
    alerts.push({
      ...base,
      labels: ghost ? { ...base.labels, pod: `${base.labels.pod}-gone-${i}` } : base.labels,
      fingerprint: ghost ? `f${String(i).padStart(15, '0')}` : base.fingerprint,
    });
  }
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'alert-triage',
    groupLabels: { cluster: 'prod' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts,
  };
}
