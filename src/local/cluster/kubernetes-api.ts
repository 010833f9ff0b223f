// Local Kubernetes API stand-in: serves a ScenarioCluster as real core/v1 REST JSON, plus Prometheus via the service proxy.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { labelSelector, routeGroupApi } from './kubernetes-apis.js';
import { type EvaluatedSample, evaluate } from './promql-eval.js';
import { type ScenarioCluster, type ScenarioSeries, SERIES_HISTORY_SECONDS } from './scenario.js';
import { forwardToService, serviceProxyRest } from './service-proxy.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  /** When the request arrived (ms since the epoch, sub-millisecond): what a test measures request rates by. */
  at: number;
}

/** Requests whose raw URL (path and query string as sent) matches answer `status`, wait `delayMs` first, or never answer (`hang`). */
export interface Fault {
  path: RegExp;
  status?: number;
  delayMs?: number;
  hang?: boolean;
  /** How many matching requests the fault applies to; unlimited when absent. */
  times?: number;
}

export interface KubernetesStandIn {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the whole cluster state; `prometheusUrl` (when given) replaces where the service proxy forwards. */
  load(cluster: ScenarioCluster, prometheusUrl?: string): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Stops the server and destroys open sockets, hanging requests included. */
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
type Resource = 'pods' | 'events' | 'services' | 'nodes';

class HttpAnswer {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
  ) {}
}

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

function k8sStatus(code: number, message: string, details?: Json): HttpAnswer {
  const reason = (
    code === 500 ? 'InternalError' : code === 504 ? 'Timeout' : (STATUS_CODES[code] ?? 'Unknown')
  ).replaceAll(' ', '');
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  return new HttpAnswer(code, details ? { ...body, details, code } : { ...body, code });
}

const notFound = (kind: string, name: string) =>
  k8sStatus(404, `${kind} "${name}" not found`, { name, kind });

function field(obj: unknown, path: string): unknown {
  let current = obj;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[key];
  }
  return current;
}

function fieldText(obj: unknown, path: string): string {
  const value = field(obj, path);
  return value === undefined || value === null ? '' : String(value);
}

/** Parses `a=b,c!=d` (field or label selector) into predicates; throws on unsupported terms. */
function selector(text: string, allowed: RegExp | null, read: (o: Json, k: string) => string) {
  const terms = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
      const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (!m?.[1] || !m[2] || m[3] === undefined) throw k8sStatus(400, `invalid selector: '${term}'`);
      if (allowed && !allowed.test(m[1])) throw k8sStatus(400, `field label not supported: ${m[1]}`);
      return { key: m[1], negate: m[2] === '!=', value: m[3] };
    });
  return (o: Json) => terms.every((t) => (read(o, t.key) === t.value) !== t.negate);
}

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

const named = (o: Json, name: string, ns?: string) =>
  fieldText(o, 'metadata.name') === name && (ns === undefined || fieldText(o, 'metadata.namespace') === ns);

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

interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

const promError = (error: string) => new HttpAnswer(400, { status: 'error', errorType: 'bad_data', error });
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const OPERATOR_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

const unexpected = (q: string, at: number) =>
  promError(`parse error: unexpected ${JSON.stringify(q.slice(at).trimStart().charAt(0))} in label matching`);

function parseMatchers(q: string, start: number): Matcher[] {
  const matchers: Matcher[] = [];
  const re = /\s*(?:([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*(,)?|(\}))/y;
  re.lastIndex = start + 1;
  for (;;) {
    const at = re.lastIndex;
    const m = re.exec(q);
    if (!m) throw unexpected(q, at);
    if (m[5]) return matchers;
    const raw = m[3] ?? '""';
    const value = raw.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
    matchers.push({ label: m[1] ?? '', op: m[2] as Matcher['op'], value });
    if (!m[4] && q[re.lastIndex] !== '}') throw unexpected(q, re.lastIndex);
  }
}

/** The first vector selector of a PromQL expression as matchers, its metric name as `__name__`; null if none. */
function firstSelector(q: string): Matcher[] | null {
  // Strings, range/subquery brackets and numbers are skipped whole; identifiers are tested; anything else is one char.
  const token =
    /\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\[[^\]]*\]|[0-9.][\w.+]*|([a-zA-Z_:][\w:]*)|(\{)|.)/gy;
  for (let m = token.exec(q); m; m = token.exec(q)) {
    if (m[2]) return parseMatchers(q, token.lastIndex - 1);
    const ident = m[1];
    if (!ident) continue;
    const rest = q.slice(token.lastIndex).trimStart();
    if (LABEL_LIST_KEYWORDS.has(ident)) {
      if (rest.startsWith('(')) token.lastIndex = q.indexOf(')', token.lastIndex) + 1 || q.length;
    } else if (!OPERATOR_KEYWORDS.has(ident) && !rest.startsWith('(') && !/^(by|without)\b/.test(rest)) {
      const name: Matcher = { label: '__name__', op: '=', value: ident };
      return rest.startsWith('{') ? [name, ...parseMatchers(q, q.indexOf('{', token.lastIndex))] : [name];
    }
  }
  return null;
}

/** A label-set predicate; regexes are compiled here, so a bad one is a 400 even when no series has the metric. */
function predicate(m: Matcher): (labels: Readonly<Record<string, string>>) => boolean {
  if (m.op === '=') return (labels) => (labels[m.label] ?? '') === m.value;
  if (m.op === '!=') return (labels) => (labels[m.label] ?? '') !== m.value;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`);
  } catch {
    throw promError(`parse error: invalid regular expression ${JSON.stringify(m.value)}`);
  }
  return (labels) => re.test(labels[m.label] ?? '') === (m.op === '=~');
}

function promValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

/** Splits `a or b or c` at the top level (outside parentheses, braces and strings). */
function splitOr(q: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < q.length; i += 1) {
    const ch = q[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('({['.includes(ch)) depth += 1;
    else if (')}]'.includes(ch)) depth -= 1;
    else if (depth === 0 && /^\sor\s/.test(q.slice(i, i + 4))) {
      parts.push(q.slice(start, i));
      start = i + 4;
      i += 3;
    }
  }
  parts.push(q.slice(start));
  return parts.map((p) => p.trim());
}

const LABEL_REPLACE =
  /^label_replace\(([\s\S]*),\s*"([a-zA-Z_]\w*)"\s*,\s*"([^"]*)"\s*,\s*"[^"]*"\s*,\s*"[^"]*"\s*\)$/;

/** The samples a query yields; a shape evaluate() does not know is answered by its first selector's values now. */
function answer(series: readonly ScenarioSeries[], query: string): readonly EvaluatedSample[] | HttpAnswer {
  const select = (text: string) => {
    const matchers = firstSelector(text);
    if (!matchers || matchers.length === 0)
      throw promError(`parse error: no vector selector in ${JSON.stringify(text)}`);
    const tests = matchers.map(predicate);
    return series.filter((s) => tests.every((test) => test({ __name__: s.metric, ...s.labels })));
  };
  try {
    return (
      evaluate(query, select) ??
      select(query).map((s) => ({
        labels: { __name__: s.metric, ...s.labels },
        value: s.value + (s.perSecond ?? 0) * SERIES_HISTORY_SECONDS,
      }))
    );
  } catch (error) {
    if (error instanceof HttpAnswer) return error;
    throw error;
  }
}

/** `label_replace(<query>, "key", "name", "", "") or ...`: each part's samples, labelled with its key. */
function taggedUnion(series: readonly ScenarioSeries[], parts: readonly string[], at: number): HttpAnswer {
  const result: { metric: Record<string, string>; value: [number, string] }[] = [];
  for (const part of parts) {
    const m = LABEL_REPLACE.exec(part);
    if (!m?.[1] || !m[2]) return promError(`parse error: unsupported expression ${JSON.stringify(part)}`);
    const samples = answer(series, m[1]);
    if (samples instanceof HttpAnswer) return samples;
    for (const sample of samples) {
      const metric = { ...sample.labels, [m[2]]: m[3] ?? '' };
      result.push({ metric, value: [at, promValue(sample.value)] });
    }
  }
  return new HttpAnswer(200, { status: 'success', data: { resultType: 'vector', result } });
}

function promQuery(series: readonly ScenarioSeries[], params: URLSearchParams): HttpAnswer {
  const query = params.get('query');
  if (!query) return promError('invalid parameter "query": parse error: no expression found in input');
  const time = params.get('time') ?? '';
  const at = Number(time) || Date.parse(time) / 1000 || Date.now() / 1000;
  if (query.trimStart().startsWith('label_replace(')) return taggedUnion(series, splitOr(query), at);
  const samples = answer(series, query);
  if (samples instanceof HttpAnswer) return samples;
  const result = samples.map((s) => ({ metric: s.labels, value: [at, promValue(s.value)] }));
  return new HttpAnswer(200, { status: 'success', data: { resultType: 'vector', result } });
}

const NO_ROUTE = k8sStatus(404, 'the server could not find the requested resource', {});

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

function route(cluster: ScenarioCluster, method: string, url: URL, body: string): HttpAnswer {
  const segs = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  // Named API groups: the workload groups (apps, batch, autoscaling, policy), then storage.k8s.io with the subjects.
  if (segs[0] === 'apis' && method !== 'GET')
    return k8sStatus(405, 'the server does not allow this method on the requested resource');
  const group = segs[0] === 'apis' ? routeGroupApi(cluster, segs.slice(1), url.searchParams) : undefined;
  if (group) return new HttpAnswer(group.code, group.body);
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  if (res.destroyed) return;
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.code, {
    'Content-Type': answer.contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export async function startKubernetesStandIn(
  options: {
    cluster?: ScenarioCluster;
    token?: string;
    port?: number;
    host?: string;
    /** A real Prometheus the service proxy forwards to, instead of answering from the scenario series. */
    prometheusUrl?: string;
  } = {},
): Promise<KubernetesStandIn> {
  let cluster: ScenarioCluster = options.cluster ?? {};
  let prometheusUrl = options.prometheusUrl;
  let faults: { fault: Fault; left: number }[] = [];
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const authorization = req.headers.authorization;
    if (options.token !== undefined && authorization !== `Bearer ${options.token}`) {
      return send(res, k8sStatus(401, 'Unauthorized'));
    }
    const method = req.method ?? 'GET';
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: performance.timeOrigin + performance.now(),
    };
    if (authorization !== undefined) recorded.authorization = authorization;
    requests.push(recorded);
    const body = method === 'POST' ? await readBody(req) : '';

    const active = faults.find((f) => f.left > 0 && rawUrl.search(f.fault.path) >= 0);
    if (active) {
      active.left -= 1;
      if (active.fault.hang) return; // left open until close() destroys the socket
      // unref: a delay still pending at close() must not keep the process alive; send() then skips the dead socket.
      if (active.fault.delayMs)
        await new Promise((resolve) => setTimeout(resolve, active.fault.delayMs).unref());
      if (active.fault.status !== undefined) {
        return send(res, k8sStatus(active.fault.status, `injected fault: HTTP ${active.fault.status}`));
      }
    }
    const proxied = prometheusUrl ? serviceProxyRest(url.pathname) : undefined;
    if (prometheusUrl && proxied !== undefined) {
      const relayed = await forwardToService(prometheusUrl, method, proxied, url.search, body);
      return send(res, new HttpAnswer(relayed.code, relayed.body, relayed.contentType));
    }
    send(res, route(cluster, method, url, body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, err instanceof HttpAnswer ? err : k8sStatus(500, `stand-in error: ${String(err)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    load(next, nextPrometheusUrl) {
      cluster = next;
      prometheusUrl = nextPrometheusUrl ?? options.prometheusUrl;
    },
    addFault(fault) {
      faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults = [];
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
