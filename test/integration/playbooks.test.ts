// /playbooks: operators add, override, disable and restore signatures; the next alert uses the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { incidentId } from '../../src/domain/incident.js';
import type { PlaybookItem } from '../../src/domain/playbook.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { API_TOKEN, getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
let h: Harness;
let sequence = 0;

beforeAll(async () => {
  h = await startHarness({ cluster: oom.cluster });
});
afterAll(async () => {
  await h.close();
});

function send(method: string, path: string, body?: unknown, token = API_TOKEN): Promise<Response> {
  return Promise.resolve(
    h.app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/** Fires the OOM alert as a new incident (new startsAt) and returns what triage recorded. */
async function fireOom(): Promise<Incident> {
  sequence += 1;
  const webhook = structuredClone(oom.webhook) as { alerts: { startsAt: string; fingerprint: string }[] };
  const alert = webhook.alerts[0]!;
  alert.startsAt = new Date(Date.UTC(2026, 10, 23, 9, sequence)).toISOString();
  expect((await postWebhook(h, webhook)).status).toBe(200);
  await h.queue.idle();
  return (await (await getJson(h, `/incidents/${incidentId(alert)}`)).json()) as Incident;
}

const custom = {
  id: 'checkout-heap-too-large',
  title: 'JVM heap sized above the container limit',
  alerts: ['KubePodCrashLooping'],
  targets: ['pod'],
  all: [
    { fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' },
    { fact: 'container.image', op: 'matches', pattern: 'checkout-api' },
  ],
  confidence: 'high',
  specificity: 99,
  summary:
    '{{container}} runs with -XX:MaxRAMPercentage=90, leaving no room under {{container.memoryLimit}}.',
  remediation: ['kubectl set env {{workload}} -n {{namespace}} JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=70'],
};

describe('/playbooks', () => {
  it('lists the built-in signatures', async () => {
    const { items } = (await (await getJson(h, '/playbooks')).json()) as { items: PlaybookItem[] };
    expect(items.find((i) => i.id === 'container-oom-killed')).toMatchObject({
      source: 'built-in',
      enabled: true,
    });
  });

  it('a custom signature takes effect on the next alert, without a restart', async () => {
    const put = await send('PUT', `/playbooks/${custom.id}`, custom);
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: custom.id, source: 'custom', enabled: true });
    const incident = await fireOom();
    expect(incident.findings[0]?.signatureId).toBe(custom.id);
    expect(incident.findings[0]?.remediation).toEqual([
      'kubectl set env deployment/checkout-api -n payments JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=70',
    ]);
    expect(incident.findings.map((f) => f.signatureId)).toContain('container-oom-killed');
    expect((await send('DELETE', `/playbooks/${custom.id}`)).status).toBe(200);
    expect((await fireOom()).findings[0]?.signatureId).toBe('container-oom-killed');
  });

  it('disables a built-in and restores it', async () => {
    const disabled = await send('DELETE', '/playbooks/container-oom-killed');
    expect(await disabled.json()).toMatchObject({ id: 'container-oom-killed', enabled: false });
    expect((await fireOom()).findings.map((f) => f.signatureId)).not.toContain('container-oom-killed');
    const restored = await send('DELETE', '/playbooks/container-oom-killed?restore=true');
    expect(await restored.json()).toMatchObject({
      id: 'container-oom-killed',
      enabled: true,
      source: 'built-in',
    });
    expect((await fireOom()).findings[0]?.signatureId).toBe('container-oom-killed');
  });

  it('overrides a built-in', async () => {
    const builtIn = ((await (await getJson(h, '/playbooks/container-oom-killed')).json()) as PlaybookItem)
      .signature;
    const override = { ...builtIn, title: 'OOM kill (payments team wording)' };
    expect(await (await send('PUT', '/playbooks/container-oom-killed', override)).json()).toMatchObject({
      source: 'override',
    });
    expect((await fireOom()).findings[0]?.title).toBe('OOM kill (payments team wording)');
    await send('DELETE', '/playbooks/container-oom-killed?restore=true');
  });

  it('refuses a bad signature with a clear 400 and stores nothing', async () => {
    const bad = await send('PUT', '/playbooks/broken-one', {
      ...custom,
      id: 'broken-one',
      all: [{ fact: 'pod.colour', op: 'exists' }],
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('invalid_signature');
    expect(body.error.details.map((d) => d.path)).toContain('all.0.fact');
    expect((await send('PUT', '/playbooks/other-id', custom)).status).toBe(400);
    expect((await getJson(h, '/playbooks/broken-one')).status).toBe(404);
    const notJson = await h.app.request('/playbooks/x-y', {
      method: 'PUT',
      headers: { authorization: `Bearer ${API_TOKEN}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('wants the API token for every method', async () => {
    for (const [method, path] of [
      ['GET', '/playbooks'],
      ['GET', '/playbooks/container-oom-killed'],
      ['PUT', `/playbooks/${custom.id}`],
      ['DELETE', '/playbooks/container-oom-killed'],
    ] as const) {
      expect((await send(method, path, method === 'PUT' ? custom : undefined, 'wrong')).status).toBe(401);
    }
    const { items } = (await (await getJson(h, '/playbooks')).json()) as { items: PlaybookItem[] };
    expect(items.find((i) => i.id === 'container-oom-killed')?.enabled).toBe(true);
  });
});
