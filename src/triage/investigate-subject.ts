// Gathering for alerts about a volume claim, a node known by its address, a quota or the cluster itself.
import type { Alert } from '../domain/alert.js';
import { alertQueries, nodeExporterInstance } from '../domain/alert-queries.js';
import type { Piece, Target, TriageContext } from '../domain/context.js';
import { ok, unavailable } from '../domain/context.js';
import type { ClaimContext, ProviderSnapshot, QuotaContext } from '../domain/subject-context.js';
import { managedProvider } from '../domain/subject-context.js';
import type { ClusterInspector } from '../ports.js';
import { type GatherOptions, gatherContext } from './gather.js';

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Control-plane alerts whose answer depends on who runs the control plane (the node list shows it). */
const CONTROL_PLANE_ALERTS = new Set(['KubeSchedulerDown', 'KubeControllerManagerDown']);

/** What every gathering takes from the alert: the queries it asks for and node-exporter's instance for its node. */
export function alertGatherOptions(
  alert: Alert,
  target: Target,
): Pick<GatherOptions, 'alertQueries' | 'nodeInstance'> {
  const instance = nodeExporterInstance(alert.labels, target);
  return {
    alertQueries: (node, container) => alertQueries(alert.labels, target, node, container),
    ...(instance ? { nodeInstance: instance } : {}),
  };
}

/** The node whose InternalIP is the scrape address (kube-prometheus-stack's `instance=<ip>:9100`). */
async function nodeByAddress(inspector: ClusterInspector, address: string): Promise<Piece<string>> {
  try {
    const node = (await inspector.clusterNodes()).find((n) => n.internalIPs.includes(address));
    return node ? ok(node.name) : unavailable(`no node has the InternalIP ${address}`);
  } catch (error) {
    return unavailable(`list nodes to find ${address}: ${reasonOf(error)}`);
  }
}

export async function readClaim(inspector: ClusterInspector, target: Target): Promise<Piece<ClaimContext>> {
  const unread: string[] = [];
  const soft = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      unread.push(`${what}: ${reasonOf(error)}`);
      return undefined;
    }
  };
  try {
    let namespace = target.namespace;
    let name = target.pvc;
    const volume = target.volume ? await inspector.persistentVolume(target.volume) : undefined;
    if (target.volume && !volume) return unavailable(`persistentvolume ${target.volume} not found`);
    if (!name && volume?.claim) ({ namespace, name } = volume.claim);
    if (!namespace || !name) return ok({ ...(volume ? { volume } : {}), unread });
    const claim = await inspector.persistentVolumeClaim(namespace, name);
    if (!claim) return unavailable(`persistentvolumeclaim ${namespace}/${name} not found (deleted?)`);
    const ns = namespace;
    const claimName = name;
    const [bound, storageClass, mountedBy, events] = await Promise.all([
      volume ??
        (claim.volumeName
          ? soft('its volume', () => inspector.persistentVolume(claim.volumeName ?? ''))
          : undefined),
      claim.storageClass
        ? soft('its storage class', () => inspector.storageClass(claim.storageClass ?? ''))
        : undefined,
      soft('pods mounting the claim', () => inspector.podsMountingClaim(ns, claimName)),
      soft('events of the claim', () => inspector.claimEvents(ns, claimName)),
    ]);
    return ok({
      claim,
      ...(bound ? { volume: bound } : {}),
      ...(storageClass ? { storageClass } : {}),
      ...(mountedBy ? { mountedBy } : {}),
      ...(events ? { events } : {}),
      unread,
    });
  } catch (error) {
    return unavailable(reasonOf(error));
  }
}

async function readQuota(
  inspector: ClusterInspector,
  namespace: string,
  name: string,
): Promise<Piece<QuotaContext>> {
  try {
    const [quota, events] = await Promise.all([
      inspector.resourceQuota(namespace, name),
      // Refusals only corroborate: without them the quota's own numbers still stand.
      inspector
        .failedCreateEvents(namespace)
        .catch(() => []),
    ]);
    if (!quota) return unavailable(`resourcequota ${namespace}/${name} not found`);
    const refusals = events.filter((e) => e.message.includes(`exceeded quota: ${name}`));
    return ok({ quota, refusals });
  } catch (error) {
    return unavailable(reasonOf(error));
  }
}

async function readProvider(inspector: ClusterInspector): Promise<Piece<ProviderSnapshot>> {
  try {
    return ok(managedProvider(await inspector.clusterNodes()));
  } catch (error) {
    return unavailable(reasonOf(error));
  }
}

/** Context for pvc, node, namespace and cluster subjects: the common gathering plus the pieces the subject needs. */
export async function gatherSubject(
  alert: Alert,
  target: Target,
  inspector: ClusterInspector,
  options: GatherOptions,
): Promise<TriageContext> {
  switch (target.kind) {
    case 'node': {
      if (target.node || !target.nodeAddress) return gatherContext(target, inspector, options);
      const name = await nodeByAddress(inspector, target.nodeAddress);
      if (name.status !== 'ok') {
        const context = await gatherContext(target, inspector, options);
        return { ...context, node: unavailable(name.status === 'unavailable' ? name.reason : 'not read') };
      }
      const resolved: Target = { ...target, node: name.value };
      return gatherContext(resolved, inspector, { ...options, ...alertGatherOptions(alert, resolved) });
    }
    case 'pvc': {
      // `node` is the kubelet reporting the volume's stats: its load and neighbours are not the claim's evidence.
      const { node: _kubelet, ...claimOnly } = target;
      const [context, claim] = await Promise.all([
        gatherContext(claimOnly, inspector, options),
        readClaim(inspector, target),
      ]);
      return { ...context, target, claim };
    }
    case 'namespace': {
      const context = await gatherContext(target, inspector, options);
      if (!target.namespace || !target.quota) return context;
      return { ...context, quota: await readQuota(inspector, target.namespace, target.quota) };
    }
    case 'cluster': {
      const wantsProvider = CONTROL_PLANE_ALERTS.has(alert.labels.alertname ?? '');
      const [context, provider] = await Promise.all([
        gatherContext(target, inspector, options),
        wantsProvider ? readProvider(inspector) : undefined,
      ]);
      return provider ? { ...context, provider } : context;
    }
    default:
      return gatherContext(target, inspector, options);
  }
}
