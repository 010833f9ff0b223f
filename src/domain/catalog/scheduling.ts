// Built-in signatures for pods the scheduler cannot place: resources, taints, node selectors, volume zones.
import type { Condition, Signature } from '../signature.js';

// One scheduler message often names several reasons ("1 node(s) had untolerated taint {…}, 4 Insufficient memory").
// Filters run in order (taints, then node affinity, then resources, then volume zones) and a node is counted under
// the first one it fails, so the later reason is what blocks the nodes the pod is actually meant for. Specificity
// follows that order, and a reason that covers every node (the message then names it alone) earns a support point.

/** The scheduler's verdict, from the PodScheduled condition or from a FailedScheduling event. */
function schedulerSays(pattern: string): Condition[] {
  return [
    { fact: 'pod.unschedulableMessage', op: 'matches', pattern },
    { fact: 'events.pod', op: 'matches', pattern: `FailedScheduling.*(?:${pattern})` },
  ];
}

/** The reason accounts for all N nodes of "0/N nodes are available". */
function everyNode(reason: string): Condition[] {
  const pattern = `0/(\\d+) nodes are available: \\1 (?:${reason})`;
  return [
    { fact: 'pod.unschedulableMessage', op: 'matches', pattern },
    { fact: 'events.pod', op: 'matches', pattern },
  ];
}

const PENDING: Condition = { fact: 'pod.phase', op: 'eq', value: 'Pending', orUnknown: true };
const SCHEDULED: Condition = { fact: 'pod.scheduled', op: 'eq', value: 'True' };

const INSUFFICIENT = 'Insufficient [\\w./-]+|Too many pods';
/** Taints a workload is meant to tolerate; node-condition taints (not-ready, memory-pressure…) are not its to fix. */
const TAINT =
  '(?:untolerated taints?|had taints?) \\{(?!node\\.kubernetes\\.io/|node\\.cloudprovider\\.kubernetes\\.io/)[^}]*\\}';
/**
 * Before 1.18 the scheduler named no taint ("node(s) had taints that the pod didn't tolerate"), so a node-condition
 * taint (not-ready, unreachable, disk-pressure) reads the same as a workload's: matched, one step less sure.
 */
const TAINT_KEYLESS = "had taints that the pod didn't tolerate";
const SELECTOR = "didn't match (?:Pod's )?node (?:affinity|selector)|node affinity/selector";
const VOLUME_ZONE = 'volume node affinity conflict|no available volume zone';
/** The scheduler does not place a pod until every claim it mounts (with Immediate binding) is bound to a volume. */
const UNBOUND_CLAIM = 'unbound immediate PersistentVolumeClaims';

const insufficientResources: Signature = {
  id: 'insufficient-resources',
  title: 'Pod unschedulable: not enough free CPU, memory or other resources',
  targets: ['pod'],
  all: [PENDING],
  any: schedulerSays(INSUFFICIENT),
  none: [SCHEDULED],
  support: everyNode('Insufficient'),
  confidence: 'high',
  specificity: 70,
  summary:
    'Pod {{namespace}}/{{pod}} stays Pending: the nodes it may run on do not have enough unrequested capacity for its resource requests. The scheduler counts requests, not actual usage, so a node can look idle and still be full.',
  remediation: [
    'See what the pod asks for: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{range .spec.containers[*]}{.name}{": "}{.resources.requests}{"\\n"}{end}\'`.',
    'See what is left on each node: `kubectl describe nodes | grep -A 8 "Allocated resources"` (requests against allocatable), and `kubectl top nodes` for real usage.',
    'If the requests are inflated, lower them to what the container uses: `kubectl set resources {{workload}} -n {{namespace}} -c {{container}} --requests=cpu=<cpu>,memory=<memory>`.',
    'Otherwise add capacity: check why the autoscaler did not (`kubectl -n kube-system logs deploy/cluster-autoscaler --tail=300 | grep -E "{{pod}}|NotTriggerScaleUp"`), raise the node group maximum or allow a larger instance type.',
    'If this pod matters more than others on the nodes, give it a higher PriorityClass so the scheduler may preempt lower-priority pods.',
  ],
};

const untoleratedTaint: Signature = {
  id: 'untolerated-taint',
  title: 'Pod unschedulable: nodes carry a taint the pod does not tolerate',
  targets: ['pod'],
  all: [PENDING],
  any: schedulerSays(`${TAINT}|${TAINT_KEYLESS}`),
  none: [SCHEDULED],
  support: everyNode('node\\(s\\) had (?:untolerated )?taint'),
  ambiguous: [
    {
      when: schedulerSays(TAINT_KEYLESS),
      alternative:
        'This scheduler (before Kubernetes 1.18) does not name the taint: it may also be one the node controller sets while nodes are unhealthy (node.kubernetes.io/not-ready, unreachable, disk-pressure, memory-pressure), and then the nodes are the problem (node-not-ready, node-pressure), not the pod.',
      tellApart:
        'Read the taints first: `kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints`. A `node.kubernetes.io/...` key means the node is unhealthy: fix the node (`kubectl describe node <node-name>`, Conditions). Any other key is a taint someone set for placement: tolerate it or remove it as below.',
    },
  ],
  confidence: 'high',
  specificity: 60,
  summary:
    'Pod {{namespace}}/{{pod}} stays Pending: nodes it could use carry a taint (quoted below) that the pod has no toleration for. Either the pod belongs on those nodes and lacks the toleration, or the taint is left over and should go.',
  remediation: [
    "List the taints: `kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints`, and the pod's tolerations: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.tolerations}'`.",
    'If the pod belongs on the tainted nodes (a dedicated pool), add the toleration to the workload, and a nodeSelector so it lands only there: `kubectl patch {{workload}} -n {{namespace}} --type=json -p \'[{"op":"add","path":"/spec/template/spec/tolerations/-","value":{"key":"<key>","operator":"Equal","value":"<value>","effect":"NoSchedule"}}]\'`.',
    'If the taint is a leftover (maintenance finished, a pool repurposed), remove it: `kubectl taint nodes <tainted-node> <key>-`.',
    'If the message also names resource or selector reasons, fix those for the untainted nodes first: those are the nodes the pod is meant for.',
  ],
};

const nodeSelectorMismatch: Signature = {
  id: 'node-selector-mismatch',
  title: "Pod unschedulable: no node matches the pod's node selector or affinity",
  targets: ['pod'],
  all: [PENDING],
  any: schedulerSays(SELECTOR),
  none: [SCHEDULED],
  support: everyNode("node\\(s\\) didn't match"),
  confidence: 'high',
  specificity: 65,
  summary:
    'Pod {{namespace}}/{{pod}} stays Pending: its nodeSelector or required node affinity names labels that the available nodes do not carry (a typo, a renamed node group, or a pool scaled to zero).',
  remediation: [
    'See what the pod requires: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{.spec.nodeSelector}{"\\n"}{.spec.affinity.nodeAffinity}{"\\n"}\'`.',
    'See which nodes carry those labels: `kubectl get nodes -L <label key>` or `kubectl get nodes -l <key>=<value>`; an empty answer means no such node exists right now.',
    'If the selector is wrong, fix it in the workload: `kubectl edit {{workload}} -n {{namespace}}` (well-known labels moved, e.g. `beta.kubernetes.io/instance-type` to `node.kubernetes.io/instance-type`).',
    'If the nodes should exist, label them in the node group template (not by hand, autoscaled nodes lose it), or scale up the pool the selector points at; `kubectl label node <node-name> <key>=<value>` only as a stopgap.',
  ],
};

const volumeZoneConflict: Signature = {
  id: 'volume-zone-conflict',
  title: 'Pod unschedulable: its volume lives in a zone with no usable node',
  targets: ['pod'],
  all: [PENDING],
  any: schedulerSays(VOLUME_ZONE),
  none: [SCHEDULED],
  support: everyNode('node\\(s\\) had (?:volume node affinity conflict|no available volume zone)'),
  confidence: 'high',
  specificity: 75,
  summary:
    'Pod {{namespace}}/{{pod}} stays Pending: a persistent volume it mounts is bound to one availability zone, and no node in that zone can take the pod. Zonal disks cannot attach across zones, so nodes elsewhere do not help.',
  remediation: [
    "Find the volume and its zone: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.volumes[*].persistentVolumeClaim.claimName}'`, then `kubectl get pv $(kubectl get pvc <claim> -n {{namespace}} -o jsonpath='{.spec.volumeName}') -o jsonpath='{.spec.nodeAffinity.required}'`.",
    'See the nodes per zone: `kubectl get nodes -L topology.kubernetes.io/zone`; if the zone has nodes, the other reasons in the scheduler message (resources, taints) apply there.',
    'Add capacity in that zone: one node group per zone lets the cluster autoscaler grow the right one; a single multi-zone group may add nodes in the wrong zone.',
    'For new volumes use a StorageClass with `volumeBindingMode: WaitForFirstConsumer`; to move existing data, snapshot the volume and restore it in a zone with room.',
  ],
};

const pvcUnbound: Signature = {
  id: 'pvc-unbound',
  title: 'Pod unschedulable: a PersistentVolumeClaim it mounts is not bound to a volume',
  targets: ['pod'],
  all: [PENDING],
  any: schedulerSays(UNBOUND_CLAIM),
  none: [SCHEDULED],
  confidence: 'high',
  // Until the claim binds, no node is even considered: the other reasons in a message cannot be fixed first.
  specificity: 78,
  summary:
    "Pod {{namespace}}/{{pod}} stays Pending: a PersistentVolumeClaim it mounts has no volume yet, and the scheduler does not place a pod before its claims are bound. Usually no StorageClass applies (none named and no default), the named StorageClass does not exist, no pre-created PersistentVolume matches the claim's size, access mode and class, or the provisioner is failing; the claim's events say which.",
  remediation: [
    "Find the claim and read its events: `kubectl get pvc -n {{namespace}}` (STATUS Pending), then `kubectl describe pvc <claim> -n {{namespace}}`; the pod's claims are `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.volumes[*].persistentVolumeClaim.claimName}'`.",
    '"no persistent volumes available for this claim and no storage class is set": see the classes with `kubectl get storageclass`; mark one as default (`kubectl patch storageclass <class> -p \'{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}\'`) or install a provisioner (a cloud CSI driver, or local-path/NFS on bare metal), then re-create the claim with that class: storageClassName cannot be changed on an existing claim.',
    'A StorageClass named but "not found": fix the name in the chart or manifest (`storageClassName`) and re-create the claim.',
    'Static volumes: a PersistentVolume must match the claim exactly in class, access mode and at least its size: `kubectl get pv` and compare with the claim.',
    "A provisioner that fails: its events on the claim (ProvisioningFailed) and its controller's log, e.g. `kubectl -n kube-system logs deploy/ebs-csi-controller -c csi-provisioner --tail=100`.",
  ],
};

export const SCHEDULING_SIGNATURES: readonly Signature[] = [
  pvcUnbound,
  insufficientResources,
  untoleratedTaint,
  nodeSelectorMismatch,
  volumeZoneConflict,
];
