// Reads workload objects (apps/v1, batch/v1, autoscaling/v2, policy/v1) and pods by label selector.
import {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  type KubeConfig,
  type ObservableMiddleware,
  PolicyV1Api,
} from '@kubernetes/client-node';
import type { WorkloadKind } from '../../domain/context.js';
import type {
  NodePlacementSnapshot,
  RevisionSnapshot,
  WorkloadPod,
  WorkloadSnapshot,
} from '../../domain/workload/types.js';
import {
  controllerRevisionSnapshot,
  cronJobOwner,
  daemonSetSnapshot,
  deploymentSnapshot,
  hpaSnapshot,
  jobSnapshot,
  nodePlacement,
  pdbSnapshot,
  replicaSetSnapshot,
  statefulSetSnapshot,
  workloadPod,
} from './workload-snapshots.js';

type Options = ConfigurationOptions<ObservableMiddleware>;
/** The inspector's call wrapper: a timeout per call, failures as DependencyError (404 as undefined). */
export type Call = <T>(what: string, run: (o: Options) => Promise<T>) => Promise<T>;
export type CallOrNotFound = <T>(what: string, run: (o: Options) => Promise<T>) => Promise<T | undefined>;

/** Pods beyond this many per workload are not listed: the worst few are diagnosed, the rest only counted. */
const POD_LIST_LIMIT = 500;

export class WorkloadReader {
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly policy: PolicyV1Api;
  private readonly core: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    private readonly call: Call,
    private readonly orNotFound: CallOrNotFound,
  ) {
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.batch = kubeConfig.makeApiClient(BatchV1Api);
    this.autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
    this.policy = kubeConfig.makeApiClient(PolicyV1Api);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async workload(namespace: string, kind: WorkloadKind, name: string): Promise<WorkloadSnapshot | undefined> {
    const what = `get ${kind.toLowerCase()} ${namespace}/${name}`;
    const args = { namespace, name };
    switch (kind) {
      case 'Deployment': {
        const d = await this.orNotFound(what, (o) => this.apps.readNamespacedDeployment(args, o));
        return d && deploymentSnapshot(d);
      }
      case 'StatefulSet': {
        const s = await this.orNotFound(what, (o) => this.apps.readNamespacedStatefulSet(args, o));
        return s && statefulSetSnapshot(s);
      }
      case 'DaemonSet': {
        const d = await this.orNotFound(what, (o) => this.apps.readNamespacedDaemonSet(args, o));
        return d && daemonSetSnapshot(d);
      }
      case 'Job': {
        const job = await this.orNotFound(what, (o) => this.batch.readNamespacedJob(args, o));
        if (!job) return undefined;
        const owner = cronJobOwner(job);
        // The CronJob only adds its schedule: a failure to read it does not lose the Job.
        const cron = owner
          ? await this.orNotFound(`get cronjob ${namespace}/${owner}`, (o) =>
              this.batch.readNamespacedCronJob({ namespace, name: owner }, o),
            ).catch(() => undefined)
          : undefined;
        return jobSnapshot(job, cron);
      }
      case 'HorizontalPodAutoscaler': {
        const h = await this.orNotFound(what, (o) =>
          this.autoscaling.readNamespacedHorizontalPodAutoscaler(args, o),
        );
        return h && hpaSnapshot(h);
      }
      case 'PodDisruptionBudget': {
        const p = await this.orNotFound(what, (o) => this.policy.readNamespacedPodDisruptionBudget(args, o));
        return p && pdbSnapshot(p);
      }
    }
  }

  async replicaSets(
    namespace: string,
    selector: string,
    ownerUid: string | undefined,
  ): Promise<RevisionSnapshot[]> {
    const list = await this.call(`list replicasets in ${namespace} (${selector})`, (o) =>
      this.apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }, o),
    );
    return list.items
      .filter((rs) => !ownerUid || rs.metadata?.ownerReferences?.some((r) => r.uid === ownerUid))
      .map(replicaSetSnapshot)
      .sort((a, b) => b.revision - a.revision);
  }

  async controllerRevisions(
    namespace: string,
    selector: string,
    ownerUid: string | undefined,
  ): Promise<RevisionSnapshot[]> {
    const list = await this.call(`list controllerrevisions in ${namespace} (${selector})`, (o) =>
      this.apps.listNamespacedControllerRevision({ namespace, labelSelector: selector }, o),
    );
    return list.items
      .filter((cr) => !ownerUid || cr.metadata?.ownerReferences?.some((r) => r.uid === ownerUid))
      .map(controllerRevisionSnapshot)
      .sort((a, b) => b.revision - a.revision);
  }

  async podsMatching(namespace: string, selector: string): Promise<WorkloadPod[]> {
    const list = await this.call(`list pods in ${namespace} (${selector})`, (o) =>
      this.core.listNamespacedPod({ namespace, labelSelector: selector, limit: POD_LIST_LIMIT }, o),
    );
    return list.items.map(workloadPod);
  }

  async nodePlacements(): Promise<NodePlacementSnapshot[]> {
    const list = await this.call('list nodes', (o) => this.core.listNode({}, o));
    return list.items.map(nodePlacement);
  }
}
