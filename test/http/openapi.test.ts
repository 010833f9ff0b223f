// The OpenAPI document: every route the app serves is in it with its method, and its Incident schema holds for
// the incidents triage really produces (read back through the API).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Incident } from '../../src/domain/incident.js';
import { IncidentSchema } from '../../src/domain/incident-schema.js';
import { openApiDocument } from '../../src/http/openapi.js';
import { loadScenarios, mergeClusters } from '../../src/local/cluster/scenarios.js';
import { getJson, type Harness, postWebhook, startHarness } from '../support/harness.js';
import { minimalApp } from '../support/minimal-app.js';

type Doc = {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
const doc = openApiDocument() as Doc;

/** hono's `/incidents/:id` as OpenAPI's `/incidents/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('the OpenAPI document lists what the app serves', () => {
  const { app } = minimalApp();
  // Middleware and the 405 answers are registered for every method (ALL); handlers name theirs.
  const served = app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`);

  it('serves routes at all (the walk is not vacuous)', () => {
    expect(served).toEqual(expect.arrayContaining(['get /incidents', 'put /playbooks/{id}']));
  });

  it('documents every served route with its method', () => {
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)),
    );
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('documents no route the app does not serve', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(documented.filter((route) => !served.includes(route))).toEqual([]);
  });

  it('documents each path parameter the route names', () => {
    for (const route of app.routes.filter((r) => r.method !== 'ALL' && r.path.includes(':'))) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()] as {
        parameters?: { name: string; in: string }[];
      };
      const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
      expect(op.parameters?.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(names);
    }
  });
});

describe('the documented Incident schema', () => {
  let h: Harness;
  const incidents: Incident[] = [];
  const documented = z.fromJSONSchema(doc.components.schemas.Incident as never);

  beforeAll(async () => {
    // A diagnosis with evidence and a node, and an alert nothing matches (the incident says what it observed).
    const scenarios = ['container-oom-killed', 'healthy-pod-negative'].map((id) => {
      const scenario = loadScenarios().find((s) => s.id === id);
      if (!scenario) throw new Error(`no scenario ${id}`);
      return scenario;
    });
    h = await startHarness({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    for (const scenario of scenarios) expect((await postWebhook(h, scenario.webhook)).status).toBe(200);
    await h.queue.idle();
    const page = (await (await getJson(h, '/incidents?limit=100')).json()) as { items: Incident[] };
    incidents.push(...page.items);
  });
  afterAll(async () => {
    await h.close();
  });

  it('holds for real incidents from triage, read back through the API', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(2);
    expect(incidents.some((i) => i.findings.length > 0 && i.notifications.length > 0)).toBe(true);
    expect(incidents.some((i) => (i.observed?.length ?? 0) > 0)).toBe(true);
    for (const incident of incidents) {
      expect(documented.safeParse(incident).error).toBeUndefined();
      expect(IncidentSchema.safeParse(incident).error).toBeUndefined();
    }
  });

  it('refuses what an Incident is not (so the check above can fail)', () => {
    const [incident] = incidents;
    expect(documented.safeParse({ ...incident, status: 'open' }).success).toBe(false);
    expect(documented.safeParse({ ...incident, surprise: true }).success).toBe(false);
    const { target: _, ...withoutTarget } = incident as Incident;
    expect(documented.safeParse(withoutTarget).success).toBe(false);
  });
});
