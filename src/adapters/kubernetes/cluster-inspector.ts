// ClusterInspector over @kubernetes/client-node: typed reads with a per-call timeout, failures as DependencyError.

import type https from 'node:https';
import {
  ApiException,
  type ConfigurationOptions,
  CoreV1Api,
  KubeConfig,
  Observable,
  type ObservableMiddleware,
  StorageV1Api,
} from '@kubernetes/client-node';
import type {
  EventSnapshot,
  MetricValues,
  NodePortSnapshot,
  NodeSnapshot,
  PeerPod,
  PodSnapshot,
  WorkloadKind,
} from '../../domain/context.js';
import type { MetricQuery } from '../../domain/metric-queries.js';
import type {
  NodePlacementSnapshot,
  RevisionSnapshot,
  WorkloadPod,
  WorkloadSnapshot,
} from '../../domain/workload/types.js';
import { type ClusterInspector, DependencyError } from '../../ports.js';
import { get, type PrometheusClient, type RawAnswer } from './prometheus.js';
import { eventSnapshot, nodePorts, nodeSnapshot, peerPod, podSnapshot, sortEvents } from './snapshots.js';
import { KubernetesSubjectReads } from './subject-reads.js';
import { WorkloadReader } from './workload-reader.js';

/** Events beyond this many per object add nothing to a diagnosis and cost Slack and store space. */
const MAX_EVENTS = 50;

export function kubeConfigFor(
  cluster: { mode: 'proxy'; url: string; token: string | undefined } | { mode: 'kubeconfig'; path: string },
): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.mode === 'kubeconfig') {
    kc.loadFromFile(cluster.path);
    return kc;
  }
  kc.loadFromOptions({
    // client-node refuses plain http unless TLS verification is "skipped"; with http there is no TLS to verify.
    clusters: [
      {
        name: 'proxy',
        server: cluster.url.replace(/\/$/, ''),
        skipTLSVerify: cluster.url.startsWith('http://'),
      },
    ],
    users: [{ name: 'alert-triage', ...(cluster.token ? { token: cluster.token } : {}) }],
    contexts: [{ name: 'alert-triage', cluster: 'proxy', user: 'alert-triage' }],
    currentContext: 'alert-triage',
  });
  return kc;
}

function timeoutOptions(ms: number): ConfigurationOptions<ObservableMiddleware> {
  const middleware: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(context));
    },
    post: (context) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** A short, secret-free reason: status and the API server's message, or the transport failure. */
export function describeFailure(
  error: unknown,
  timeoutMs: number,
): { code: string; message: string; status?: number } {
  if (error instanceof ApiException) {
    const body = typeof error.body === 'string' ? safeJson(error.body) : error.body;
    const message = (body as { message?: string } | undefined)?.message;
    return {
      code: `http_${error.code}`,
      status: error.code,
      message: `HTTP ${error.code}${message ? `: ${message}` : ''}`,
    };
  }
  const e = error as { name?: string; message?: string; cause?: { code?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || /aborted|timeout/i.test(e?.message ?? '')) {
    return { code: 'timeout', message: `timed out after ${timeoutMs} ms` };
  }
  return { code: e?.cause?.code ?? 'network', message: (e?.message ?? String(error)).slice(0, 200) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

export class KubernetesClusterInspector implements ClusterInspector {
  private readonly core: CoreV1Api;
  private readonly workloads: WorkloadReader;
  /** Claims, volumes, quotas, the node list (subject-reads.ts). */
  private readonly subjects: KubernetesSubjectReads;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly prometheus: PrometheusClient | undefined,
    private readonly timeoutMs: number,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.workloads = new WorkloadReader(
      kubeConfig,
      (what, run) => this.call(what, run),
      (what, run) => this.orNotFound(what, run),
    );
    this.subjects = new KubernetesSubjectReads(this.core, kubeConfig.makeApiClient(StorageV1Api), {
      call: (what, run) => this.call(what, run),
      orNotFound: (what, run) => this.orNotFound(what, run),
    });
  }

  persistentVolumeClaim = (namespace: string, name: string) =>
    this.subjects.persistentVolumeClaim(namespace, name);
  persistentVolume = (name: string) => this.subjects.persistentVolume(name);
  storageClass = (name: string) => this.subjects.storageClass(name);
  podsMountingClaim = (namespace: string, claim: string) => this.subjects.podsMountingClaim(namespace, claim);
  claimEvents = (namespace: string, claim: string) => this.subjects.claimEvents(namespace, claim);
  resourceQuota = (namespace: string, name: string) => this.subjects.resourceQuota(namespace, name);
  failedCreateEvents = (namespace: string) => this.subjects.failedCreateEvents(namespace);
  clusterNodes = () => this.subjects.clusterNodes();

  private async call<T>(
    what: string,
    run: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<T>,
  ): Promise<T> {
    try {
      return await run(timeoutOptions(this.timeoutMs));
    } catch (error) {
      const failure = describeFailure(error, this.timeoutMs);
      throw new DependencyError('cluster', failure.code, `${what}: ${failure.message}`, { cause: error });
    }
  }

  private async orNotFound<T>(
    what: string,
    run: (o: ConfigurationOptions<ObservableMiddleware>) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.call(what, run);
    } catch (error) {
      if (error instanceof DependencyError && error.code === 'http_404') return undefined;
      throw error;
    }
  }

  async pod(namespace: string, name: string): Promise<PodSnapshot | undefined> {
    const pod = await this.orNotFound(`get pod ${namespace}/${name}`, (o) =>
      this.core.readNamespacedPod({ namespace, name }, o),
    );
    return pod && podSnapshot(pod);
  }

  async podEvents(namespace: string, name: string): Promise<EventSnapshot[]> {
    const list = await this.call(`list events of pod ${namespace}/${name}`, (o) =>
      this.core.listNamespacedEvent(
        { namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}`, limit: 200 },
        o,
      ),
    );
    return sortEvents(list.items.map(eventSnapshot)).slice(0, MAX_EVENTS);
  }

  async node(name: string): Promise<NodeSnapshot | undefined> {
    const node = await this.orNotFound(`get node ${name}`, (o) => this.core.readNode({ name }, o));
    return node && nodeSnapshot(node);
  }

  async nodeEvents(name: string): Promise<EventSnapshot[]> {
    // The kubelet uses the node name as involvedObject.uid, the node controller the real uid: select by name.
    const list = await this.call(`list events of node ${name}`, (o) =>
      this.core.listEventForAllNamespaces(
        { fieldSelector: `involvedObject.kind=Node,involvedObject.name=${name}`, limit: 200 },
        o,
      ),
    );
    return sortEvents(list.items.map(eventSnapshot)).slice(0, MAX_EVENTS);
  }

  async podsOnNode(name: string): Promise<PeerPod[]> {
    const list = await this.call(`list pods on node ${name}`, (o) =>
      this.core.listPodForAllNamespaces(
        { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded` },
        o,
      ),
    );
    return list.items.map(peerPod);
  }

  async previousLog(
    namespace: string,
    pod: string,
    container: string,
    tailLines: number,
  ): Promise<string | undefined> {
    try {
      return await this.call(`previous log of ${namespace}/${pod}/${container}`, (o) =>
        this.core.readNamespacedPodLog(
          { namespace, name: pod, container, previous: true, tailLines, limitBytes: 64 * 1024 },
          o,
        ),
      );
    } catch (error) {
      // 400 "previous terminated container ... not found": there is no previous instance to read.
      if (error instanceof DependencyError && (error.code === 'http_400' || error.code === 'http_404'))
        return undefined;
      throw error;
    }
  }

  async nodeLog(node: string, query: string, tailLines: number): Promise<string | undefined> {
    const server = this.kubeConfig.getCurrentCluster()?.server.replace(/\/$/, '') ?? '';
    const path = `/api/v1/nodes/${encodeURIComponent(node)}/proxy/logs/?query=${encodeURIComponent(query)}&tailLines=${tailLines}`;
    let answer: RawAnswer;
    try {
      const options: https.RequestOptions = {};
      await this.kubeConfig.applyToHTTPSOptions(options);
      answer = await get(new URL(`${server}${path}`), options, this.timeoutMs);
    } catch (error) {
      const failure = describeFailure(error, this.timeoutMs);
      throw new DependencyError('cluster', failure.code, `node log ${query} of ${node}: ${failure.message}`, {
        cause: error,
      });
    }
    // 404: the NodeLogQuery feature or the kubelet's log handler is off on this node.
    if (answer.status === 404) return undefined;
    if (answer.status < 200 || answer.status >= 300) {
      throw new DependencyError(
        'cluster',
        `http_${answer.status}`,
        `node log ${query} of ${node}: HTTP ${answer.status}`,
      );
    }
    return answer.body;
  }

  async nodePorts(): Promise<NodePortSnapshot[]> {
    const list = await this.call('list services', (o) => this.core.listServiceForAllNamespaces({}, o));
    return list.items.flatMap(nodePorts);
  }

  async metrics(queries: readonly MetricQuery[]): Promise<MetricValues> {
    if (!this.prometheus) throw new DependencyError('prometheus', 'disabled', 'Prometheus is not configured');
    return this.prometheus.instantQueries(queries);
  }

  workload(namespace: string, kind: WorkloadKind, name: string): Promise<WorkloadSnapshot | undefined> {
    return this.workloads.workload(namespace, kind, name);
  }

  replicaSets(
    namespace: string,
    selector: string,
    ownerUid: string | undefined,
  ): Promise<RevisionSnapshot[]> {
    return this.workloads.replicaSets(namespace, selector, ownerUid);
  }

  controllerRevisions(
    namespace: string,
    selector: string,
    ownerUid: string | undefined,
  ): Promise<RevisionSnapshot[]> {
    return this.workloads.controllerRevisions(namespace, selector, ownerUid);
  }

  podsMatching(namespace: string, selector: string): Promise<WorkloadPod[]> {
    return this.workloads.podsMatching(namespace, selector);
  }

  nodePlacements(): Promise<NodePlacementSnapshot[]> {
    return this.workloads.nodePlacements();
  }
}
