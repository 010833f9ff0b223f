// Not every alert is an incident: Watchdog, InfoInhibitor and severity="none" are never queued, stored or posted.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { AlertEnvelope } from '../../src/domain/alert.js';
import { createApp } from '../../src/http/app.js';
import { memoryLogger } from '../support/memory-logger.js';

function alertOf(labels: Record<string, string>, fingerprint: string) {
  return {
    status: 'firing',
    labels: { prometheus: 'monitoring/k8s', ...labels } as Record<string, string>,
    annotations: {},
    startsAt: '2026-11-23T08:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint,
  };
}

/** kube-prometheus groups by namespace: namespace-less alerts share a group with Watchdog. */
const delivery = (alerts: ReturnType<typeof alertOf>[]) => ({
  version: '4',
  groupKey: '{}:{namespace=""}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'alert-triage',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://127.0.0.1:9093',
  alerts,
});

const watchdog = alertOf({ alertname: 'Watchdog', severity: 'none' }, 'a1');
const inhibitor = alertOf({ alertname: 'InfoInhibitor', namespace: 'payments', severity: 'none' }, 'a2');
const overcommit = alertOf({ alertname: 'KubeCPUOvercommit', severity: 'warning' }, 'a3');
const custom = alertOf({ alertname: 'HeartbeatNone', severity: 'none' }, 'a4');

function app(ignoredAlerts?: readonly string[]) {
  const queued: AlertEnvelope[] = [];
  const { log, lines } = memoryLogger();
  const instance = createApp({
    webhookToken: undefined,
    apiToken: undefined,
    queue: {
      enqueue: async (batch: readonly AlertEnvelope[]) => {
        queued.push(...batch);
      },
    },
    store: {} as never,
    playbooks: { entries: async () => [], put: async () => {}, remove: async () => false },
    builtIns: [],
    log,
    ...(ignoredAlerts ? { ignoredAlerts } : {}),
  });
  const post = async (body: unknown) => {
    const response = await instance.request('/alertmanager', { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  return { post, queued, lines };
}

describe('alerts that are never incidents', () => {
  it('accepts Watchdog with a 200 (Alertmanager must see it delivered) and queues nothing', async () => {
    const { post, queued, lines } = app();
    expect(await post(delivery([watchdog]))).toEqual({ status: 200, body: { accepted: 0, ignored: 1 } });
    expect(queued).toEqual([]);
    expect(lines.some((l) => l.includes('alerts ignored: never incidents'))).toBe(true);
  });

  it('queues the real alerts of a group that also carries Watchdog, InfoInhibitor and severity none', async () => {
    const { post, queued } = app();
    expect(await post(delivery([watchdog, inhibitor, overcommit, custom]))).toEqual({
      status: 200,
      body: { accepted: 1, ignored: 3 },
    });
    expect(queued.map((e) => e.alert.labels.alertname)).toEqual(['KubeCPUOvercommit']);
    expect(queued[0]?.groupSize).toBe(1);
  });

  it('does not let ignored alerts make a storm', async () => {
    const { post, queued } = app();
    const many = Array.from({ length: 6 }, (_, i) =>
      alertOf({ alertname: 'Watchdog', severity: 'none' }, `w${i}`),
    );
    await post(delivery([...many, overcommit]));
    expect(queued).toHaveLength(1);
    expect(queued[0]?.storm).toBeUndefined();
  });

  it('takes its list from IGNORED_ALERTS; an empty value triages Watchdog like any alert (severity none still skipped)', async () => {
    expect(loadConfig({}, 'local').ignoredAlerts).toEqual(['Watchdog', 'InfoInhibitor']);
    expect(loadConfig({ IGNORED_ALERTS: 'Watchdog, KubeVersionMismatch,' }, 'local').ignoredAlerts).toEqual([
      'Watchdog',
      'KubeVersionMismatch',
    ]);
    const none = loadConfig({ IGNORED_ALERTS: '' }, 'local').ignoredAlerts;
    expect(none).toEqual([]);
    const { post, queued } = app(none);
    await post(delivery([{ ...watchdog, labels: { alertname: 'Watchdog', severity: 'warning' } }]));
    expect(queued).toHaveLength(1);
  });
});
