// Every alert a default kube-prometheus cluster fires, with its real label set: a message about the right subject
// that says what fired and what was checked (or a diagnosis), once; Watchdog and InfoInhibitor never.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { incidentId } from '../../src/domain/incident.js';
import { subjectTitle } from '../../src/domain/subject.js';
import { CHANNEL, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';
import { filledLabels, referenceAlerts } from '../support/kube-prometheus-alerts.js';

const STARTS = '2026-11-23T08:30:00Z';
const alerts = referenceAlerts().map((a, i) => ({
  name: `${a.alertname} (${a.labels.severity})`,
  alert: {
    status: 'firing',
    labels: filledLabels(a.labels),
    annotations: { summary: `${a.alertname} fired.` },
    startsAt: STARTS,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus-k8s-0:9090/graph',
    fingerprint: `ref${String(i).padStart(13, '0')}`,
  },
}));

let h: Harness;
beforeAll(async () => {
  // A cluster that holds none of the named objects: every read is a 404, the hardest case for "say something useful".
  h = await startHarness({ cluster: {} });
  for (const { alert } of alerts) {
    const delivery = {
      version: '4',
      groupKey: `{}:{alertname="${alert.labels.alertname}",fp="${alert.fingerprint}"}`,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'alert-triage',
      groupLabels: { alertname: alert.labels.alertname },
      commonLabels: alert.labels,
      commonAnnotations: alert.annotations,
      externalURL: 'http://127.0.0.1:9093',
      alerts: [alert],
    };
    expect((await postWebhook(h, delivery)).status).toBe(200);
  }
  await h.queue.idle();
});
afterAll(async () => {
  await h?.close();
});

describe('the kube-prometheus reference alerts through the whole service', () => {
  it.each(alerts)('$name', async ({ alert }) => {
    const response = await getJson(h, `/incidents/${incidentId(alert)}`);
    const posted = h.slack
      .messages(CHANNEL)
      .filter((m) => JSON.stringify(m.metadata ?? {}).includes(incidentId(alert)));
    if (alert.labels.severity === 'none') {
      expect(response.status).toBe(404);
      expect(posted).toEqual([]);
      return;
    }
    expect(response.status).toBe(200);
    const incident = (await response.json()) as Incident;
    expect(incident.target.kind).not.toBe('none');
    expect(posted).toHaveLength(1);
    const text = String(posted[0]?.text);
    expect(text).toContain(subjectTitle(incident.target).replaceAll('&', '&amp;'));
    if (incident.findings.length === 0) {
      expect(incident.observed?.[0]).toMatch(new RegExp(`^fired: ${alert.labels.alertname} `));
      expect(incident.observed?.[1]).toMatch(/^checked: /);
      expect(JSON.stringify(posted[0]?.blocks)).toContain('What was observed');
    } else {
      for (const f of incident.findings) expect(f.evidence.length).toBeGreaterThan(0);
    }
  });
});
