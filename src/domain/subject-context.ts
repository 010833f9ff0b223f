// What triage reads about an alert's subject beyond pods and nodes: a volume claim, a quota, the cluster's nodes.
import type { EventSnapshot, Piece } from './context.js';

export interface ClaimSnapshot {
  readonly namespace: string;
  readonly name: string;
  /** Pending, Bound, Lost. */
  readonly phase: string;
  readonly storageClass?: string;
  readonly volumeName?: string;
  /** spec.resources.requests.storage as written, e.g. "50Gi". */
  readonly requested?: string;
  /** status.capacity.storage as written: what the volume really has. */
  readonly capacity?: string;
  readonly accessModes: readonly string[];
  /** Resizing, FileSystemResizePending, ... */
  readonly conditions: readonly {
    readonly type: string;
    readonly status: string;
    readonly message?: string;
  }[];
}

export interface VolumeSnapshot {
  readonly name: string;
  /** Available, Bound, Released, Failed, Pending. */
  readonly phase: string;
  readonly reason?: string;
  readonly message?: string;
  readonly capacity?: string;
  readonly storageClass?: string;
  /** The CSI driver, or the in-tree plugin's kind. */
  readonly driver?: string;
  readonly reclaimPolicy?: string;
  readonly claim?: { readonly namespace: string; readonly name: string };
}

export interface StorageClassSnapshot {
  readonly name: string;
  readonly provisioner: string;
  readonly allowVolumeExpansion: boolean;
}

/** A pod whose volumes reference the claim. */
export interface MountingPod {
  readonly namespace: string;
  readonly name: string;
  readonly nodeName?: string;
  readonly phase: string;
  readonly ready: boolean;
  readonly ownerKind?: string;
  readonly ownerName?: string;
  /** Where the first container that mounts the claim sees it, and that container. */
  readonly mountPath?: string;
  readonly container?: string;
}

export interface ClaimContext {
  /** Absent for an alert about a volume whose claim is gone. */
  readonly claim?: ClaimSnapshot;
  readonly volume?: VolumeSnapshot;
  readonly storageClass?: StorageClassSnapshot;
  /** undefined when the pods could not be listed (the reason is in `unread`). */
  readonly mountedBy?: readonly MountingPod[];
  /** Events of the claim (resize, provisioning), newest first; undefined when they could not be read. */
  readonly events?: readonly EventSnapshot[];
  /** Parts that could not be read, with the reason (the rest is still evidence). */
  readonly unread: readonly string[];
}

export interface QuotaSnapshot {
  readonly namespace: string;
  readonly name: string;
  /** status.hard and status.used by resource, as written ("10", "20Gi"). */
  readonly hard: Readonly<Record<string, string>>;
  readonly used: Readonly<Record<string, string>>;
}

export interface QuotaContext {
  readonly quota: QuotaSnapshot;
  /** FailedCreate events in the namespace that name the quota, newest first. */
  readonly refusals: readonly EventSnapshot[];
}

/** A node as the cluster-wide list shows it: enough to map an address and to see who runs the cluster. */
export interface ClusterNode {
  readonly name: string;
  readonly providerID?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly internalIPs: readonly string[];
}

export type ManagedProvider = 'EKS' | 'GKE' | 'AKS';

export interface ProviderSnapshot {
  /** The cloud's Kubernetes service the nodes belong to; absent when none is recognised. */
  readonly provider?: ManagedProvider;
  /** What shows it: `node ip-10-0-0-1 label eks.amazonaws.com/nodegroup=general`. */
  readonly evidence?: string;
  readonly nodes: number;
  /** Nodes labelled as control plane: a cluster that runs its own control plane has them, a managed one has none. */
  readonly controlPlaneNodes: number;
}

/** Pieces read only for subjects that need them; absent on every other context. */
export interface SubjectPieces {
  readonly claim?: Piece<ClaimContext>;
  readonly quota?: Piece<QuotaContext>;
  readonly provider?: Piece<ProviderSnapshot>;
}

const PROVIDER_ID: readonly (readonly [string, ManagedProvider])[] = [
  ['aws://', 'EKS'],
  ['gce://', 'GKE'],
  ['azure://', 'AKS'],
];
const PROVIDER_LABEL: readonly (readonly [string, ManagedProvider])[] = [
  ['eks.amazonaws.com/nodegroup', 'EKS'],
  ['eks.amazonaws.com/compute-type', 'EKS'],
  ['cloud.google.com/gke-nodepool', 'GKE'],
  ['kubernetes.azure.com/cluster', 'AKS'],
  ['kubernetes.azure.com/agentpool', 'AKS'],
];

const CONTROL_PLANE_ROLES = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/**
 * The cloud's Kubernetes service behind the nodes: a label of its node pools first, else the providerID scheme.
 * A self-managed cluster on the same cloud (kops, kubeadm on EC2) shares the providerID but registers its control
 * plane as nodes, so those are counted too.
 */
export function managedProvider(nodes: readonly ClusterNode[]): ProviderSnapshot {
  const controlPlaneNodes = nodes.filter((n) => CONTROL_PLANE_ROLES.some((r) => r in n.labels)).length;
  const base = { nodes: nodes.length, controlPlaneNodes };
  for (const node of nodes) {
    for (const [label, provider] of PROVIDER_LABEL) {
      const value = node.labels[label];
      if (value !== undefined)
        return { ...base, provider, evidence: `node ${node.name} label ${label}=${value}` };
    }
  }
  for (const node of nodes) {
    for (const [prefix, provider] of PROVIDER_ID) {
      if (node.providerID?.startsWith(prefix))
        return { ...base, provider, evidence: `node ${node.name} providerID ${node.providerID}` };
    }
  }
  return base;
}
