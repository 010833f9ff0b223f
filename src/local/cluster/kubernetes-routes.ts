// Routes of the Kubernetes stand-in: core/v1 (pods, events, services, nodes, logs), the subjects' kinds, and the groups.
import {
  field,
  fieldText,
  HttpAnswer,
  type Json,
  k8sStatus,
  NO_ROUTE,
  named,
  notFound,
  selector,
} from './kubernetes-answers.js';
import { labelSelector, routeGroupApi } from './kubernetes-apis.js';
import { promQuery } from './prometheus-query.js';
import type { ScenarioCluster } from './scenario.js';

type Resource = 'pods' | 'events' | 'services' | 'nodes';

const RESOURCES: readonly string[] = ['pods', 'events', 'services', 'nodes'];
const isResource = (r: string | undefined): r is Resource => r !== undefined && RESOURCES.includes(r);

// The field selectors the real API server accepts; others are a 400 there, so a client relying on one fails here too.
const SELECTABLE: Record<Resource, RegExp> = {
  pods: /^(metadata\.(name|namespace)|spec\.(nodeName|restartPolicy|schedulerName|serviceAccountName|hostNetwork))$|^status\.(phase|podIP|nominatedNodeName)$/,
  events:
    /^(involvedObject\.(kind|namespace|name|uid|apiVersion|resourceVersion|fieldPath)|reason|reportingComponent|source|type|metadata\.(name|namespace))$/,
  services: /^metadata\.(name|namespace)$/,
  nodes: /^(metadata\.name|spec\.unschedulable)$/,
};

const PROXY_REFUSED = 'error trying to reach service: dial tcp 10.0.0.1:9090: connect: connection refused';

function listOf(resource: Resource, items: readonly Json[], ns: string | undefined, query: URLSearchParams) {
  const byField = selector(query.get('fieldSelector') ?? '', SELECTABLE[resource], (o, k) =>
    fieldText(o, resource === 'events' && k === 'source' ? 'source.component' : k),
  );
  const labels = labelSelector(query.get('labelSelector') ?? '');
  if (typeof labels !== 'function') throw k8sStatus(400, labels.error);
  const byLabel = (o: Json) =>
    labels((field(o, 'metadata.labels') as Record<string, string> | undefined) ?? {});
  const kept = items.filter(
    (o) => (ns === undefined || fieldText(o, 'metadata.namespace') === ns) && byField(o) && byLabel(o),
  );
  return new HttpAnswer(200, {
    apiVersion: 'v1',
    kind: `${resource.charAt(0).toUpperCase()}${resource.slice(1, -1)}List`,
    metadata: { resourceVersion: '1' },
    items: kept,
  });
}

function tail(text: string, query: URLSearchParams): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const n = Number(query.get('tailLines') ?? lines.length);
  const out = lines
    .slice(Math.max(0, lines.length - (Number.isInteger(n) && n >= 0 ? n : lines.length)))
    .join('');
  const limitBytes = Number(query.get('limitBytes'));
  return limitBytes > 0 ? Buffer.from(out).subarray(0, limitBytes).toString() : out;
}

function podLog(cluster: ScenarioCluster, ns: string, name: string, query: URLSearchParams) {
  const pod = cluster.pods?.find((p) => named(p, name, ns));
  if (!pod) return notFound('pods', name);
  const names = ((field(pod, 'spec.containers') as Json[] | undefined) ?? []).map((c) => String(c.name));
  const container = query.get('container') || (names.length === 1 ? names[0] : undefined);
  if (container === undefined) {
    const choices = names.join(' ');
    return k8sStatus(400, `a container name must be specified for pod ${name}, choose one of: [${choices}]`);
  }
  if (!names.includes(container))
    return k8sStatus(400, `container ${container} is not valid for pod ${name}`);
  const previous = query.get('previous') === 'true';
  const entry = cluster.logs?.find(
    (l) => l.namespace === ns && l.pod === name && l.container === container && l.previous === previous,
  );
  if (!entry && previous) {
    return k8sStatus(400, `previous terminated container "${container}" in pod "${name}" not found`);
  }
  return new HttpAnswer(200, tail(entry?.text ?? '', query), 'text/plain');
}

/** Claims, volumes, quotas and storage classes: the objects behind volume and quota alerts. */
const SUBJECT_KINDS = {
  persistentvolumeclaims: { kind: 'PersistentVolumeClaim', namespaced: true },
  persistentvolumes: { kind: 'PersistentVolume', namespaced: false },
  resourcequotas: { kind: 'ResourceQuota', namespaced: true },
  storageclasses: { kind: 'StorageClass', namespaced: false },
} as const;
type SubjectResource = keyof typeof SUBJECT_KINDS;
const isSubjectResource = (r: string | undefined): r is SubjectResource =>
  r !== undefined && Object.hasOwn(SUBJECT_KINDS, r);

/** `/api/v1/[namespaces/{ns}/]{resource}[/{name}]` and `/apis/storage.k8s.io/v1/storageclasses[/{name}]`; else undefined. */
function subjectRoute(cluster: ScenarioCluster, segs: readonly string[], query: URLSearchParams) {
  const storage = segs[0] === 'apis' && segs[1] === 'storage.k8s.io' && segs[2] === 'v1';
  const core = segs[0] === 'api' && segs[1] === 'v1';
  if (!storage && !core) return undefined;
  const rest = segs.slice(storage ? 3 : 2);
  const ns = rest[0] === 'namespaces' ? rest[1] : undefined;
  const [resource, name, ...more] = ns === undefined ? rest : rest.slice(2);
  if (!isSubjectResource(resource) || more.length > 0) return undefined;
  const { kind, namespaced } = SUBJECT_KINDS[resource];
  // Storage classes live in their own API group, the rest in core; namespaced kinds may be listed across namespaces.
  if (storage !== (resource === 'storageclasses') || (ns !== undefined && !namespaced)) return NO_ROUTE;
  const items = (cluster[resource] ?? []) as readonly Json[];
  if (name !== undefined) {
    if (namespaced && ns === undefined) return NO_ROUTE;
    const found = items.find((o) => named(o, name, ns));
    return found ? new HttpAnswer(200, found) : notFound(resource, name);
  }
  const byField = selector(query.get('fieldSelector') ?? '', /^metadata\.(name|namespace)$/, fieldText);
  const kept = items.filter(
    (o) => (ns === undefined || fieldText(o, 'metadata.namespace') === ns) && byField(o),
  );
  return new HttpAnswer(200, {
    apiVersion: storage ? 'storage.k8s.io/v1' : 'v1',
    kind: `${kind}List`,
    metadata: { resourceVersion: '1' },
    items: kept,
  });
}

/** The kubelet's node log query; a node without entries answers like a kubelet with the feature gate off. */
function nodeLog(cluster: ScenarioCluster, node: string, params: URLSearchParams): HttpAnswer {
  const query = params.get('query') ?? '';
  const entry = cluster.nodeLogs?.find((l) => l.node === node && l.query === query);
  if (!entry) return new HttpAnswer(404, '404 page not found\n', 'text/plain');
  const tail = Number(params.get('tailLines') ?? '0');
  const lines = entry.text.split('\n');
  return new HttpAnswer(200, (tail > 0 ? lines.slice(-tail) : lines).join('\n'), 'text/plain');
}

export function route(cluster: ScenarioCluster, method: string, url: URL, body: string): HttpAnswer {
  const segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  // Named API groups: the workload groups (apps, batch, autoscaling, policy), then storage.k8s.io with the subjects.
  if (segs[0] === 'apis' && method !== 'GET')
    return k8sStatus(405, 'the server does not allow this method on the requested resource');
  const group = segs[0] === 'apis' ? routeGroupApi(cluster, segs.slice(1), url.searchParams) : undefined;
  if (group) return group;
  const subject = method === 'GET' ? subjectRoute(cluster, segs, url.searchParams) : undefined;
  if (subject) return subject;
  if (segs[0] !== 'api' || segs[1] !== 'v1') return NO_ROUTE;
  const [a, b, c, d, e, ...more] = segs.slice(2);
  if (c === 'services' && d !== undefined && e === 'proxy') {
    if (!cluster.prometheus) return new HttpAnswer(503, PROXY_REFUSED, 'text/plain');
    if (more.join('/') !== 'api/v1/query') return new HttpAnswer(404, '404 page not found\n', 'text/plain');
    const params = new URLSearchParams(url.search);
    if (method === 'POST') for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    if (method !== 'GET' && method !== 'POST') return new HttpAnswer(405, 'Method Not Allowed', 'text/plain');
    return promQuery(cluster.prometheus.series, params);
  }
  if (method !== 'GET')
    return k8sStatus(405, 'the server does not allow this method on the requested resource');
  if (a === 'nodes' && b !== undefined && c === 'proxy' && d === 'logs')
    return nodeLog(cluster, b, url.searchParams);
  const items = (r: Resource): readonly Json[] => cluster[r] ?? [];
  const byName = (r: Resource, name: string, ns?: string) => items(r).find((o) => named(o, name, ns));
  if (a === 'nodes' && b !== undefined && c === undefined) {
    const node = byName('nodes', b);
    return node ? new HttpAnswer(200, node) : notFound('nodes', b);
  }
  if (isResource(a) && b === undefined) return listOf(a, items(a), undefined, url.searchParams);
  if (a !== 'namespaces' || b === undefined) return NO_ROUTE;
  if (isResource(c) && c !== 'nodes' && d === undefined) return listOf(c, items(c), b, url.searchParams);
  if (c === 'pods' && d !== undefined && e === 'log' && more.length === 0)
    return podLog(cluster, b, d, url.searchParams);
  if ((c === 'pods' || c === 'services' || c === 'events') && d !== undefined && e === undefined) {
    const found = byName(c, d, b);
    return found ? new HttpAnswer(200, found) : notFound(c, d);
  }
  return NO_ROUTE;
}
