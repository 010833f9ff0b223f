// Loads the demo scenarios (events/scenarios/*.json) and merges their clusters into one demo cluster.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import type { Scenario, ScenarioCluster } from './scenario.js';

export const SCENARIO_DIR = fileURLToPath(new URL('../../../events/scenarios/', import.meta.url));
/** Scenarios rebuilt from public bug reports (the report's URL in `source`), kept apart from the written ones. */
export const FIELD_SCENARIO_DIR = fileURLToPath(new URL('../../../events/field/', import.meta.url));
/** Rebuilt from public reports for failure classes the field corpus does not cover, measured before any fix. */
export const HOLDOUT_SCENARIO_DIR = fileURLToPath(new URL('../../../events/holdout/', import.meta.url));

/** The named-group resources a scenario may hold (served by the stand-in under /apis). */
const WORKLOAD_RESOURCES = [
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'controllerrevisions',
  'jobs',
  'cronjobs',
  'horizontalpodautoscalers',
  'poddisruptionbudgets',
] as const;

const k8sObject = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
});

const scenarioSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case id'),
  title: z.string().min(1),
  source: z.string().optional(),
  class: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case class')
    .optional(),
  expect: z.object({
    signatureId: z.string().min(1).nullable(),
    /**
     * The answer when every scenario shares one cluster (the demo): another scenario's cluster-wide objects (its
     * Services' custom NodePorts, say) are evidence there too. Says why.
     */
    inSharedCluster: z
      .object({ signatureId: z.string().min(1).nullable(), why: z.string().min(1) })
      .optional(),
  }),
  webhook: z.looseObject({
    version: z.literal('4'),
    status: z.enum(['firing', 'resolved']),
    alerts: z.array(z.looseObject({ labels: z.record(z.string(), z.string()), status: z.string() })).min(1),
  }),
  cluster: z.object({
    pods: z.array(k8sObject).optional(),
    nodes: z.array(k8sObject).optional(),
    events: z.array(k8sObject).optional(),
    services: z.array(k8sObject).optional(),
    ...Object.fromEntries(WORKLOAD_RESOURCES.map((r) => [r, z.array(k8sObject).optional()])),
    persistentvolumeclaims: z.array(k8sObject).optional(),
    persistentvolumes: z.array(k8sObject).optional(),
    resourcequotas: z.array(k8sObject).optional(),
    storageclasses: z.array(k8sObject).optional(),
    logs: z
      .array(
        z.object({
          namespace: z.string(),
          pod: z.string(),
          container: z.string(),
          previous: z.boolean(),
          text: z.string(),
        }),
      )
      .optional(),
    nodeLogs: z.array(z.object({ node: z.string(), query: z.string(), text: z.string() })).optional(),
    prometheus: z
      .object({
        series: z.array(
          z.object({
            metric: z.string().min(1),
            labels: z.record(z.string(), z.string()),
            value: z.number(),
            perSecond: z.number().optional(),
          }),
        ),
      })
      .optional(),
  }),
});

/** Reads and validates every scenario file in `dir`, sorted by id; a bad file throws an Error naming it. */
export function loadScenarios(dir: string = SCENARIO_DIR): Scenario[] {
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      throw new Error(`scenario ${file}: not valid JSON: ${(err as Error).message}`);
    }
    const parsed = scenarioSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`scenario ${file}: ${z.prettifyError(parsed.error)}`);
    const clash = seen.get(parsed.data.id);
    if (clash) throw new Error(`scenario ${file}: id "${parsed.data.id}" is already used by ${clash}`);
    seen.set(parsed.data.id, file);
    // The schema checked the shape; the raw object (not zod's copy) is kept so objects stay exactly as written.
    scenarios.push(raw as Scenario);
  }
  return scenarios.sort((a, b) => a.id.localeCompare(b.id));
}

type Obj = Record<string, unknown>;
type MergedKind =
  | 'pods'
  | 'nodes'
  | 'events'
  | 'services'
  | 'persistentvolumeclaims'
  | 'persistentvolumes'
  | 'resourcequotas'
  | 'storageclasses'
  | (typeof WORKLOAD_RESOURCES)[number];

function objectKey(kind: string, o: Obj): string {
  const meta = (o.metadata ?? {}) as Obj;
  return `${kind}/${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
}

/** One cluster holding every object; a later object with the same kind, namespace and name replaces an earlier one. */
export function mergeClusters(clusters: readonly ScenarioCluster[]): ScenarioCluster {
  const merged = (kind: MergedKind): Obj[] => {
    const byKey = new Map<string, Obj>();
    for (const c of clusters) for (const o of c[kind] ?? []) byKey.set(objectKey(kind, o), o);
    return [...byKey.values()];
  };
  const logs = new Map<string, NonNullable<ScenarioCluster['logs']>[number]>();
  for (const c of clusters) {
    for (const l of c.logs ?? []) logs.set(`${l.namespace}/${l.pod}/${l.container}/${l.previous}`, l);
  }
  const withPrometheus = clusters.filter((c) => c.prometheus !== undefined);
  const base: ScenarioCluster = {
    pods: merged('pods'),
    nodes: merged('nodes'),
    events: merged('events'),
    services: merged('services'),
    ...Object.fromEntries(WORKLOAD_RESOURCES.map((r) => [r, merged(r)])),
    persistentvolumeclaims: merged('persistentvolumeclaims'),
    persistentvolumes: merged('persistentvolumes'),
    resourcequotas: merged('resourcequotas'),
    storageclasses: merged('storageclasses'),
    logs: [...logs.values()],
    nodeLogs: clusters.flatMap((c) => c.nodeLogs ?? []),
  };
  // Without any Prometheus in the inputs the merged cluster has none either, so the proxy still answers 503.
  return withPrometheus.length === 0
    ? base
    : { ...base, prometheus: { series: withPrometheus.flatMap((c) => c.prometheus?.series ?? []) } };
}
