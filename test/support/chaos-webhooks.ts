// The webhooks of the chaos test: one 1,000-alert group (a storm) and a few small groups (single incidents), and
// the same groups resolved. Built from the demo scenarios so the cluster stand-in has real pods to read.
import type { Scenario } from '../../src/local/cluster/scenario.js';
import { type Alert, stormWebhook, type Webhook } from './storm-webhook.js';

/**
 * A storm of `size` alerts that fits the webhook's 1 MiB body limit: the padding alerts (pods that are gone) drop
 * the generator link and keep a one-line summary, as they carry nothing the diagnosis reads.
 */
export function compactStorm(scenarios: readonly Scenario[], size: number): Webhook {
  const webhook = stormWebhook(scenarios, size);
  const real = new Set(scenarios.map((s) => (s.webhook as { alerts: Alert[] }).alerts[0]?.fingerprint));
  webhook.alerts = webhook.alerts.map((a) =>
    real.has(a.fingerprint)
      ? a
      : { ...a, generatorURL: '', annotations: { summary: a.annotations.summary ?? 'pod failing' } },
  );
  return webhook;
}

/**
 * Groups of `sizes` alerts (each under the storm threshold, so every alert is its own incident), taken from pod
 * scenarios with fingerprints of their own, one namespace-like group key each.
 */
export function smallGroups(scenarios: readonly Scenario[], sizes: readonly number[]): Webhook[] {
  const pods = scenarios
    .map((s) => (s.webhook as { alerts: Alert[] }).alerts[0])
    .filter((a): a is Alert => a?.labels.pod !== undefined && a.labels.job === 'kube-state-metrics');
  let next = 0;
  return sizes.map((size, g) => {
    const alerts = Array.from({ length: size }, (_, i) => {
      const base = pods[next++ % pods.length] as Alert;
      return { ...base, fingerprint: `a${String(g).padStart(3, '0')}${String(i).padStart(12, '0')}` };
    });
    return {
      version: '4',
      groupKey: `{}:{team="group-${g}"}`,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'alert-triage',
      groupLabels: { team: `group-${g}` },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://127.0.0.1:9093',
      alerts,
    };
  });
}

/** The same group, every alert resolved at `at`: Alertmanager's resolved notification. */
export function resolvedGroup(webhook: Webhook, at: string): Webhook {
  return {
    ...webhook,
    status: 'resolved',
    alerts: webhook.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: at })),
  };
}
