// Kubernetes reads for subjects that are not pods: claims, volumes, storage classes, quotas and the node list.
import type {
  ConfigurationOptions,
  CoreV1Api,
  ObservableMiddleware,
  StorageV1Api,
} from '@kubernetes/client-node';
import type { EventSnapshot } from '../../domain/context.js';
import type {
  ClaimSnapshot,
  ClusterNode,
  MountingPod,
  QuotaSnapshot,
  StorageClassSnapshot,
  VolumeSnapshot,
} from '../../domain/subject-context.js';
import type { SubjectInspector } from '../../ports.js';
import { eventSnapshot, sortEvents } from './snapshots.js';
import {
  claimSnapshot,
  clusterNode,
  mountingPod,
  quotaSnapshot,
  storageClassSnapshot,
  volumeSnapshot,
} from './subject-snapshots.js';

type Options = ConfigurationOptions<ObservableMiddleware>;
/** The inspector's call wrapper: a timeout per call, failures as DependencyError, 404 as undefined when asked. */
export interface Caller {
  call<T>(what: string, run: (o: Options) => Promise<T>): Promise<T>;
  orNotFound<T>(what: string, run: (o: Options) => Promise<T>): Promise<T | undefined>;
}

const MAX_EVENTS = 50;

export class KubernetesSubjectReads implements SubjectInspector {
  constructor(
    private readonly core: CoreV1Api,
    private readonly storage: StorageV1Api,
    private readonly caller: Caller,
  ) {}

  async persistentVolumeClaim(namespace: string, name: string): Promise<ClaimSnapshot | undefined> {
    const claim = await this.caller.orNotFound(`get persistentvolumeclaim ${namespace}/${name}`, (o) =>
      this.core.readNamespacedPersistentVolumeClaim({ namespace, name }, o),
    );
    return claim && claimSnapshot(claim);
  }

  async persistentVolume(name: string): Promise<VolumeSnapshot | undefined> {
    const volume = await this.caller.orNotFound(`get persistentvolume ${name}`, (o) =>
      this.core.readPersistentVolume({ name }, o),
    );
    return volume && volumeSnapshot(volume);
  }

  async storageClass(name: string): Promise<StorageClassSnapshot | undefined> {
    const sc = await this.caller.orNotFound(`get storageclass ${name}`, (o) =>
      this.storage.readStorageClass({ name }, o),
    );
    return sc && storageClassSnapshot(sc);
  }

  async podsMountingClaim(namespace: string, claim: string): Promise<MountingPod[]> {
    // No field selector reaches into spec.volumes: one list of the namespace, filtered here.
    const list = await this.caller.call(`list pods in ${namespace}`, (o) =>
      this.core.listNamespacedPod({ namespace, fieldSelector: 'status.phase!=Succeeded' }, o),
    );
    return list.items.flatMap((pod) => mountingPod(pod, claim) ?? []);
  }

  async claimEvents(namespace: string, claim: string): Promise<EventSnapshot[]> {
    const list = await this.caller.call(`list events of persistentvolumeclaim ${namespace}/${claim}`, (o) =>
      this.core.listNamespacedEvent(
        {
          namespace,
          fieldSelector: `involvedObject.kind=PersistentVolumeClaim,involvedObject.name=${claim}`,
          limit: 200,
        },
        o,
      ),
    );
    return sortEvents(list.items.map(eventSnapshot)).slice(0, MAX_EVENTS);
  }

  async resourceQuota(namespace: string, name: string): Promise<QuotaSnapshot | undefined> {
    const quota = await this.caller.orNotFound(`get resourcequota ${namespace}/${name}`, (o) =>
      this.core.readNamespacedResourceQuota({ namespace, name }, o),
    );
    return quota && quotaSnapshot(quota);
  }

  async failedCreateEvents(namespace: string): Promise<EventSnapshot[]> {
    const list = await this.caller.call(`list FailedCreate events in ${namespace}`, (o) =>
      this.core.listNamespacedEvent({ namespace, fieldSelector: 'reason=FailedCreate', limit: 200 }, o),
    );
    return sortEvents(list.items.map(eventSnapshot)).slice(0, MAX_EVENTS);
  }

  async clusterNodes(): Promise<ClusterNode[]> {
    const list = await this.caller.call('list nodes', (o) => this.core.listNode({}, o));
    return list.items.map(clusterNode);
  }
}
