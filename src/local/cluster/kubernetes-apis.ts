// The stand-in's named API groups (apps/v1, batch/v1, autoscaling/v2, policy/v1) and label selectors as the API
// server parses them: equality and set-based terms, a 400 for a selector it cannot parse.
import { fieldText, HttpAnswer, type Json, k8sStatus, named } from './kubernetes-answers.js';
import type { ScenarioCluster } from './scenario.js';

/** Group, version and resource -> the scenario's list and the kind its list is named after. */
const RESOURCES: Record<string, { key: keyof ScenarioCluster; kind: string }> = {
  'apps/v1/deployments': { key: 'deployments', kind: 'Deployment' },
  'apps/v1/replicasets': { key: 'replicasets', kind: 'ReplicaSet' },
  'apps/v1/statefulsets': { key: 'statefulsets', kind: 'StatefulSet' },
  'apps/v1/daemonsets': { key: 'daemonsets', kind: 'DaemonSet' },
  'apps/v1/controllerrevisions': { key: 'controllerrevisions', kind: 'ControllerRevision' },
  'batch/v1/jobs': { key: 'jobs', kind: 'Job' },
  'batch/v1/cronjobs': { key: 'cronjobs', kind: 'CronJob' },
  'autoscaling/v2/horizontalpodautoscalers': {
    key: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
  },
  'policy/v1/poddisruptionbudgets': { key: 'poddisruptionbudgets', kind: 'PodDisruptionBudget' },
};

type Labels = Readonly<Record<string, string>>;
export type LabelPredicate = (labels: Labels) => boolean;

const KEY = /^([a-z0-9A-Z][-a-z0-9A-Z_.]*\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits at commas outside parentheses: `a in (x,y),b` is two terms. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') depth -= 1;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function term(t: string): LabelPredicate | string {
  let m = /^(!?)\s*([^\s!=()]+)$/.exec(t);
  if (m?.[2] !== undefined) {
    const key = m[2];
    if (!KEY.test(key)) return `invalid label key "${key}"`;
    return m[1] ? (l) => !Object.hasOwn(l, key) : (l) => Object.hasOwn(l, key);
  }
  m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s,()]*)$/.exec(t);
  if (m?.[1] !== undefined && m[3] !== undefined) {
    const [, key, op, value] = m;
    if (!KEY.test(key)) return `invalid label key "${key}"`;
    if (!VALUE.test(value)) return `invalid label value: "${value}"`;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^([^\s!=()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(t);
  if (m?.[1] !== undefined && m[3] !== undefined) {
    const [, key, op, list] = m;
    if (!KEY.test(key)) return `invalid label key "${key}"`;
    const values = list.split(',').map((v) => v.trim());
    if (values.some((v) => !VALUE.test(v))) return `invalid label value in (${list})`;
    if (op === 'in') return (l) => l[key] !== undefined && values.includes(l[key]);
    return (l) => l[key] === undefined || !values.includes(l[key]);
  }
  return `found '${t}', expected: !, identifier, or 'end of string'`;
}

/** A label selector's predicate, or the API server's complaint about it. */
export function labelSelector(text: string): LabelPredicate | { readonly error: string } {
  const predicates: LabelPredicate[] = [];
  for (const t of terms(text)) {
    const p = term(t);
    if (typeof p === 'string') return { error: `unable to parse requirement: ${p}` };
    predicates.push(p);
  }
  return (labels) => predicates.every((p) => p(labels));
}

const labelsOf = (o: Json): Labels => ((o.metadata as Json | undefined)?.labels as Labels | undefined) ?? {};

/** `/apis/<group>/<version>/[namespaces/<ns>/]<resource>[/<name>]`; undefined for a path it does not serve. */
export function routeGroupApi(
  cluster: ScenarioCluster,
  segs: readonly string[],
  query: URLSearchParams,
): HttpAnswer | undefined {
  const [group, version, ...rest] = segs;
  let namespace: string | undefined;
  let tail = rest;
  if (rest[0] === 'namespaces' && rest[1] !== undefined) {
    namespace = rest[1];
    tail = rest.slice(2);
  }
  const [resource, name, ...more] = tail;
  const spec = RESOURCES[`${group}/${version}/${resource}`];
  if (!spec || more.length > 0) return undefined;
  const items = (cluster[spec.key] ?? []) as readonly Json[];
  if (name !== undefined) {
    if (namespace === undefined) return undefined;
    const found = items.find((o) => named(o, name, namespace));
    return found
      ? new HttpAnswer(200, found)
      : k8sStatus(404, `${resource}.${group} "${name}" not found`, { name, group, kind: resource });
  }
  const selector = labelSelector(query.get('labelSelector') ?? '');
  if (typeof selector !== 'function') return k8sStatus(400, selector.error);
  const kept = items.filter(
    (o) =>
      (namespace === undefined || fieldText(o, 'metadata.namespace') === namespace) && selector(labelsOf(o)),
  );
  return new HttpAnswer(200, {
    apiVersion: `${group}/${version}`,
    kind: `${spec.kind}List`,
    metadata: { resourceVersion: '1' },
    items: kept,
  });
}
