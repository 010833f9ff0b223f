// Gathers the context for one target in two parallel rounds; a failed call marks its piece unavailable, never the triage.
import type {
  ContainerSnapshot,
  MetricValues,
  NodePortSnapshot,
  Piece,
  PodSnapshot,
  Target,
  TriageContext,
} from '../domain/context.js';
import { emptyContext, ok, skipped, unavailable } from '../domain/context.js';
import { type MetricQuery, metricQueries } from '../domain/metric-queries.js';
import type { ClusterInspector } from '../ports.js';

export interface GatherOptions {
  readonly logTailLines?: number;
  /** Node log queries to run (services or /var/log files); empty: the optional node log query is off. */
  readonly nodeLogQueries?: readonly string[];
  readonly now?: () => Date;
  /** node-exporter's `instance` for the node when it is not the node name (`<ip>:9100`, from the alert). */
  readonly nodeInstance?: string;
  /** Queries the alert itself asks for (its mountpoint, device, claim, container), once node and container are known. */
  readonly alertQueries?: (node: string | undefined, container: string | undefined) => readonly MetricQuery[];
}

/** Probe failures are when a port-range overlap is worth the cluster-wide Services read. */
const PROBE_FAILURE = /(liveness|readiness|startup) probe failed/i;

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function settle<T>(run: () => Promise<T>): Promise<Piece<T>> {
  try {
    return ok(await run());
  } catch (error) {
    return unavailable(reasonOf(error));
  }
}

async function settleMaybe<T>(run: () => Promise<T | undefined>, missing: string): Promise<Piece<T>> {
  try {
    const value = await run();
    return value === undefined ? unavailable(missing) : ok(value);
  } catch (error) {
    return unavailable(reasonOf(error));
  }
}

/** Every configured query's tail, labelled; undefined when no query answered (the feature is off on the node). */
async function readNodeLogs(
  inspector: ClusterInspector,
  node: string,
  queries: readonly string[],
): Promise<string | undefined> {
  const answers = await Promise.all(queries.map((q) => inspector.nodeLog(node, q, 200)));
  const parts = answers.flatMap((text, i) => (text === undefined ? [] : [`${queries[i]}: ${text.trim()}`]));
  return parts.length === 0 ? undefined : parts.join('\n');
}

function failingContainer(pod: PodSnapshot, named: string | undefined): ContainerSnapshot | undefined {
  const all = [...pod.containers, ...pod.initContainers];
  if (named) return all.find((c) => c.name === named);
  return (
    all.find((c) => c.lastTerminated || c.waiting) ??
    (pod.containers.length === 1 ? pod.containers[0] : undefined)
  );
}

export async function gatherContext(
  target: Target,
  inspector: ClusterInspector,
  options: GatherOptions = {},
): Promise<TriageContext> {
  const gatheredAt = (options.now ?? (() => new Date()))().toISOString();
  if (target.kind === 'none') return emptyContext(target, 'the alert names no pod or node', gatheredAt);

  const isPod = target.kind === 'pod' && target.namespace !== undefined && target.pod !== undefined;
  const notPod = skipped<never>('not a pod alert');
  // Round one: what the labels name directly.
  const [pod, podEvents] = await Promise.all([
    isPod
      ? settleMaybe(
          () => inspector.pod(target.namespace ?? '', target.pod ?? ''),
          `pod ${target.namespace}/${target.pod} not found (deleted?)`,
        )
      : Promise.resolve(notPod),
    isPod
      ? settle(() => inspector.podEvents(target.namespace ?? '', target.pod ?? ''))
      : Promise.resolve(notPod),
  ]);

  // Round two: the node the pod runs on, its neighbours, the crashed instance's log and the metrics.
  const podValue = pod.status === 'ok' ? pod.value : undefined;
  const nodeName = podValue?.nodeName ?? target.node;
  const container = podValue ? failingContainer(podValue, target.container) : undefined;
  const noNode = skipped<never>(isPod ? 'the pod is not scheduled on a node' : 'no node named');
  const queries = [
    ...metricQueries(target, nodeName, container?.name, options.nodeInstance),
    ...(options.alertQueries?.(nodeName, container?.name) ?? []),
  ];

  const probesFailing =
    podEvents.status === 'ok' && podEvents.value.some((e) => PROBE_FAILURE.test(e.message));

  const nodeLogQueries = options.nodeLogQueries ?? [];
  const [node, nodeEvents, peers, previousLog, metrics, nodePorts, nodeLog] = await Promise.all([
    nodeName
      ? settleMaybe(() => inspector.node(nodeName), `node ${nodeName} not found`)
      : Promise.resolve(noNode),
    nodeName ? settle(() => inspector.nodeEvents(nodeName)) : Promise.resolve(noNode),
    nodeName ? settle(() => inspector.podsOnNode(nodeName)) : Promise.resolve(noNode),
    container && podValue && (container.lastTerminated || container.restartCount > 0)
      ? settleMaybe(
          () =>
            inspector.previousLog(
              podValue.namespace,
              podValue.name,
              container.name,
              options.logTailLines ?? 100,
            ),
          'no previous container instance',
        ).then(
          (p): Piece<string> =>
            p.status === 'unavailable' && p.reason === 'no previous container instance'
              ? skipped(p.reason)
              : p,
        )
      : Promise.resolve(skipped<string>('no terminated container instance')),
    queries.length > 0
      ? settle<MetricValues>(() => inspector.metrics(queries))
      : Promise.resolve(skipped<MetricValues>('nothing to query')),
    probesFailing
      ? settle(() => inspector.nodePorts())
      : Promise.resolve(skipped<readonly NodePortSnapshot[]>('no probe failures')),
    nodeName && nodeLogQueries.length > 0
      ? settleMaybe(
          () => readNodeLogs(inspector, nodeName, nodeLogQueries),
          'node log query answered 404 (feature off?)',
        )
      : Promise.resolve(skipped<string>('node log query is off')),
  ]);

  return {
    target,
    pod,
    podEvents,
    node,
    nodeEvents,
    peers,
    previousLog,
    metrics,
    nodePorts,
    nodeLog,
    gatheredAt,
  };
}
