// Webhook parsing against real Alertmanager captures, and target resolution from kube-prometheus labels.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envelopes, resolveTarget, STORM_THRESHOLD, WebhookSchema } from '../../src/domain/alert.js';
import { incidentId } from '../../src/domain/incident.js';

const capture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/alertmanager/${name}`, import.meta.url), 'utf8')) as {
    body: unknown;
    rawBody?: string;
  };

describe('webhook schema', () => {
  it.each([
    'a-firing-kubepodcrashlooping.json',
    'b-group-3-firing.json',
    'c-group-partial-resolve.json',
    'd-group-all-resolved.json',
    'e-truncated-max-alerts-2.json',
    'f-node-conntrack-minimal-labels.json',
    'f2-node-conntrack-kube-prometheus-labels.json',
  ])('accepts the real capture %s', (name) => {
    expect(WebhookSchema.safeParse(capture(name).body).success).toBe(true);
  });

  it('keeps truncatedAlerts from a max_alerts receiver', () => {
    const parsed = WebhookSchema.parse(capture('e-truncated-max-alerts-2.json').body);
    expect(parsed.truncatedAlerts).toBe(2);
    expect(parsed.alerts).toHaveLength(2);
  });

  it('rejects a payload of another version, wrong types and an empty alert list', () => {
    const body = capture('a-firing-kubepodcrashlooping.json').body as Record<string, unknown>;
    expect(WebhookSchema.safeParse({ ...body, version: '3' }).success).toBe(false);
    expect(WebhookSchema.safeParse({ ...body, alerts: [] }).success).toBe(false);
    expect(WebhookSchema.safeParse({ ...body, truncatedAlerts: 'two' }).success).toBe(false);
    expect(WebhookSchema.safeParse({ ...body, alerts: [{ status: 'firing' }] }).success).toBe(false);
  });
});

describe('envelopes', () => {
  const truncated = () => WebhookSchema.parse(capture('e-truncated-max-alerts-2.json').body);

  it('carry truncatedAlerts, and count the alerts Alertmanager left out towards a storm', () => {
    const webhook = truncated();
    const firing = webhook.alerts.filter((a) => a.status === 'firing').length;
    const small = envelopes({ ...webhook, truncatedAlerts: STORM_THRESHOLD - firing - 1 }, 'now');
    expect(small.every((e) => e.storm === undefined)).toBe(true);
    const cut = envelopes({ ...webhook, truncatedAlerts: STORM_THRESHOLD - firing }, 'now');
    expect(cut.map((e) => e.storm?.size)).toEqual(webhook.alerts.map(() => firing));
    expect(cut.every((e) => e.truncatedAlerts === STORM_THRESHOLD - firing)).toBe(true);
  });

  it('never make a storm of resolved alerts alone, however many were left out', () => {
    const webhook = truncated();
    const resolved = webhook.alerts.map((a) => ({ ...a, status: 'resolved' as const }));
    expect(
      envelopes({ ...webhook, alerts: resolved, truncatedAlerts: 100 }, 'now').some((e) => e.storm),
    ).toBe(false);
  });
});

describe('resolveTarget', () => {
  it('reads namespace/pod/container from a kube-state-metrics pod alert', () => {
    const body = WebhookSchema.parse(capture('a-firing-kubepodcrashlooping.json').body);
    expect(resolveTarget(body.alerts[0]!.labels)).toEqual({
      kind: 'pod',
      namespace: 'payments',
      pod: 'checkout-api-7d9f8c6b5-x2x7q',
      container: 'checkout-api',
    });
  });

  it('takes the node from instance for node-exporter alerts, ignoring the exporter pod labels', () => {
    const full = WebhookSchema.parse(capture('f2-node-conntrack-kube-prometheus-labels.json').body);
    const minimal = WebhookSchema.parse(capture('f-node-conntrack-minimal-labels.json').body);
    const node = full.alerts[0]!.labels.instance;
    expect(resolveTarget(full.alerts[0]!.labels)).toEqual({ kind: 'node', node });
    expect(resolveTarget(minimal.alerts[0]!.labels)).toEqual({
      kind: 'node',
      node: minimal.alerts[0]!.labels.instance,
    });
  });

  it('drops the exporter container of object-level kube-state-metrics alerts', () => {
    expect(
      resolveTarget({
        alertname: 'KubePodNotReady',
        namespace: 'shop',
        pod: 'cart-1',
        container: 'kube-rbac-proxy-main',
        job: 'kube-state-metrics',
      }),
    ).toEqual({
      kind: 'pod',
      namespace: 'shop',
      pod: 'cart-1',
    });
  });

  it('uses the node label of kube-state-metrics node alerts and never an ip:port instance', () => {
    expect(
      resolveTarget({ alertname: 'KubeNodeNotReady', node: 'ip-10-20-1-12', instance: '10.244.1.23:8443' }),
    ).toEqual({ kind: 'node', node: 'ip-10-20-1-12' });
    // A kubelet scrape address is where the metric came from, not a node name: nothing narrower than the cluster.
    expect(resolveTarget({ alertname: 'CPUThrottlingHigh', instance: '10.20.3.41:10250' })).toEqual({
      kind: 'cluster',
    });
  });
});

describe('incidentId', () => {
  it('is stable for re-sends and changes when the alert fires again', () => {
    const first = incidentId({ fingerprint: 'b709ea564d7a1c55', startsAt: '2026-11-23T08:23:36.014Z' });
    expect(first).toBe('b709ea564d7a1c55-20261123T082336014Z');
    expect(incidentId({ fingerprint: 'b709ea564d7a1c55', startsAt: '2026-11-23T08:23:36.014Z' })).toBe(first);
    expect(incidentId({ fingerprint: 'b709ea564d7a1c55', startsAt: '2026-11-23T09:10:00Z' })).not.toBe(first);
  });
});
