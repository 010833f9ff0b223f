// Built-in signatures for pods stuck creating (sandbox, network, tiny memory limits) or stuck deleting.
import type { Signature } from '../signature.js';

const FOUR_MIB = 4 * 2 ** 20;
const SANDBOX_NETWORK =
  '(FailedCreatePodSandBox|NetworkNotReady).*(network|cni|ip address|ipam|plugin type=|failed \\(add\\))';
/** Removing a file or directory fails with EPERM: for root that means an immutable (chattr +i) attribute. */
const REMOVE_EPERM = '(remov|unlink|rmdir|delet)\\w*\\b.*operation not permitted';

const memoryLimitUnitTypo: Signature = {
  id: 'memory-limit-unit-typo',
  title: 'Memory limit written in the wrong unit (m = milli, not mega)',
  targets: ['pod'],
  all: [{ fact: 'container.memoryLimitBytes', op: 'lt', value: FOUR_MIB }],
  any: [
    { fact: 'events.pod', op: 'matches', pattern: 'signal: killed|OOM-killed|memory limit too low' },
    { fact: 'events.pod', op: 'matches', pattern: 'FailedCreatePodSandBox|SandboxChanged' },
    {
      fact: 'container.waitingReason',
      op: 'in',
      values: ['ContainerCreating', 'CreateContainerError', 'RunContainerError', 'CrashLoopBackOff'],
    },
    {
      fact: 'container.terminationReason',
      op: 'in',
      values: ['StartError', 'OOMKilled', 'ContainerCannotRun'],
    },
  ],
  support: [
    { fact: 'events.pod', op: 'matches', pattern: 'Pod sandbox changed, it will be killed and re-created' },
  ],
  confidence: 'high',
  specificity: 95,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} has a memory limit of {{container.memoryLimit}}, which is a few bytes at most: in Kubernetes quantities a lower-case `m` means milli (`512m` is 0.512 bytes, not 512 megabytes). Every start is killed by the cgroup before it runs, and the pod hangs in ContainerCreating.',
  remediation: [
    'See the limits as written: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{range .spec.containers[*]}{.name}{": "}{.resources}{"\\n"}{end}\'`.',
    'Write the intended unit, `Mi` (mebibytes) or `M` (megabytes): `kubectl set resources {{workload}} -n {{namespace}} -c {{container}} --limits=memory=<number>Mi --requests=memory=<number>Mi`.',
    'Fix it where it comes from (Helm values, Kustomize patches, manifests), or the next deploy brings the typo back.',
    'Guard against it: a LimitRange with a `min` memory for the namespace, or an admission policy (Kyverno, Gatekeeper) that rejects memory quantities ending in `m`.',
  ],
};

const sandboxNameConflict: Signature = {
  id: 'sandbox-name-conflict',
  title: 'Pod sandbox or container name still held by a stale container',
  targets: ['pod'],
  all: [{ fact: 'events.pod', op: 'matches', pattern: 'is already in use by container|is reserved for' }],
  support: [
    { fact: 'container.waitingReason', op: 'in', values: ['ContainerCreating', 'CreateContainerError'] },
    { fact: 'events.pod', op: 'matches', pattern: 'context deadline exceeded' },
  ],
  confidence: 'high',
  specificity: 90,
  summary:
    'The container runtime on {{node}} will not create the sandbox or container of {{namespace}}/{{pod}} because an earlier one still holds the name. That happens when a create call timed out but went on in the runtime, or when the runtime lost track of a container it left behind.',
  remediation: [
    'Find the holder the message names on {{node}}: `crictl pods --name {{pod}}` and `crictl ps -a --name {{container}}` (with Docker: `docker ps -a | grep {{pod}}`).',
    'Remove the stale one: `crictl stopp <pod id> && crictl rmp <pod id>` or `crictl rm <container id>` (Docker: `docker rm -f <container id>`); the kubelet then creates a fresh one.',
    'If names stay reserved after "context deadline exceeded" creates, the runtime is too slow: check disk I/O and its log (`iostat -x 5 3`, `journalctl -u containerd --since "-1h" | tail -100` on {{node}}); restarting containerd clears the reservations.',
    'Make sure only one runtime is installed and running on the node (leftover Docker packages next to containerd cause the same conflicts).',
  ],
};

/** The runtime's NetworkReady=false as the kubelet puts it in the node's Ready message (containerd, CRI-O, dockershim). */
const CNI_NOT_READY =
  'NetworkPluginNotReady|cni plugin not initiali[sz]ed|cni config uninitiali[sz]ed|No CNI configuration file';

const cniFailure: Signature = {
  id: 'cni-failure',
  title: 'Pod network setup fails (CNI)',
  // A node NotReady because its CNI never initialised is this cause, not the generic node-not-ready mechanism.
  targets: ['pod', 'node'],
  all: [],
  any: [
    { fact: 'events.pod', op: 'matches', pattern: SANDBOX_NETWORK },
    { fact: 'node.readyMessage', op: 'matches', pattern: CNI_NOT_READY },
  ],
  support: [
    { fact: 'container.waitingReason', op: 'eq', value: 'ContainerCreating' },
    { fact: 'node.networkUnavailable', op: 'eq', value: 'True' },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 80,
  summary:
    'The CNI plugin on {{node}} fails to set up networking for {{pod|any new pod}} ({{namespace|all namespaces}}), so its sandbox is never created and it hangs in ContainerCreating; while the runtime reports the network plugin not ready, the kubelet also keeps the node NotReady. Typical causes: the node ran out of pod IP addresses, or the CNI agent on the node is not running, not configured (no file in /etc/cni/net.d) or not yet picked up by the runtime.',
  remediation: [
    'Check the CNI agent on the node and its log: `kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={{node}}` (aws-node, calico-node, cilium…), then `kubectl logs -n kube-system <agent pod> --tail=200`.',
    'Out of IPs (aws-cni "failed to assign an IP address"): compare the pods on the node with what its ENIs can hold, read `/var/log/aws-routed-eni/ipamd.log` on {{node}}, and check the subnet: `aws ec2 describe-subnets --subnet-ids <subnet> --query "Subnets[].AvailableIpAddressCount"`; prefix delegation (`kubectl set env daemonset aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true`) or a bigger subnet adds room.',
    'Plugin missing or not initialised: `ls /etc/cni/net.d/ /opt/cni/bin/` and `journalctl -u kubelet --since "-1h" | grep -i cni` on {{node}}.',
    'Plugin installed but the node still reports `NetworkReady=false`: the runtime did not pick up the new configuration; `systemctl restart containerd` (or `crio`) on {{node}} makes it reload `/etc/cni/net.d`.',
    'Meanwhile move the work: `kubectl cordon {{node}}`, then delete the stuck pods (`kubectl get pods -A -o wide --field-selector spec.nodeName={{node}} | grep -E "ContainerCreating|Pending"`) so their controllers recreate them on healthy nodes.',
  ],
};

const finalizerBlocked: Signature = {
  id: 'finalizer-blocked',
  title: 'Pod stuck Terminating: a finalizer is never removed',
  targets: ['pod'],
  all: [
    { fact: 'pod.deletionAgeSeconds', op: 'gt', value: 300 },
    { fact: 'pod.finalizers', op: 'matches', pattern: '.' },
  ],
  none: [{ fact: 'node.ready', op: 'in', values: ['False', 'Unknown'] }],
  support: [{ fact: 'pod.phase', op: 'in', values: ['Succeeded', 'Failed'] }],
  confidence: 'high',
  specificity: 75,
  summary:
    'Pod {{namespace}}/{{pod}} was deleted {{pod.deletionAgeSeconds}} seconds ago and is still there: the API server keeps it until every finalizer on it is removed, and the controller that owns the finalizer (quoted below) has not done so: it is gone, failing, or waiting for its own cleanup.',
  remediation: [
    'See what holds it: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{.metadata.deletionTimestamp}{"\\n"}{.metadata.finalizers}{"\\n"}\'`.',
    'The finalizer name usually names its controller: check that it runs and read why it does not finish (`kubectl get pods -A | grep <controller>`, then its logs). Job pods (`batch.kubernetes.io/job-tracking`) wait for the job controller in kube-controller-manager.',
    'Only when the cleanup is known to be unnecessary (the controller was uninstalled), drop the finalizer by hand: `kubectl patch pod {{pod}} -n {{namespace}} --type=json -p \'[{"op":"remove","path":"/metadata/finalizers"}]\'`.',
    'Do not reach for `kubectl delete --force --grace-period=0`: it does not remove finalizers, and it hides pods whose containers may still run on the node.',
  ],
};

const immutableFileBlocksRemoval: Signature = {
  id: 'immutable-file-blocks-removal',
  title: 'Pod stuck Terminating: an immutable file (chattr +i) cannot be removed',
  targets: ['pod'],
  all: [{ fact: 'pod.deletionAgeSeconds', op: 'exists', orUnknown: true }],
  any: [
    { fact: 'events.pod', op: 'matches', pattern: REMOVE_EPERM },
    { fact: 'events.node', op: 'matches', pattern: REMOVE_EPERM },
  ],
  support: [{ fact: 'pod.deletionAgeSeconds', op: 'gte', value: 300 }],
  confidence: 'high',
  specificity: 90,
  summary:
    'The runtime on {{node}} cannot delete the files of a container: removal fails with "operation not permitted", which for root means a file carries the immutable attribute (`chattr +i`), set in the image or by a process in the container. The pod stays Terminating until the attribute is cleared.',
  remediation: [
    'Take the path from the quoted message and check it on {{node}}: `lsattr -d <path>`; to find every immutable file below a directory: `lsattr -R <dir> 2>/dev/null | grep -- "-i-"`.',
    'Clear the attribute: `chattr -i <file>` (or `chattr -R -i <dir>`); the kubelet retries the removal on its own, or restart it: `systemctl restart kubelet`.',
    'Confirm it is gone: `kubectl get pod {{pod}} -n {{namespace}}`.',
    "Prevent it: do not ship immutable files in images, and do not let containers set them: `CAP_LINUX_IMMUTABLE` is not granted by default, so look for `privileged: true` or added capabilities (`kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.containers[*].securityContext}'`).",
  ],
};

export const SANDBOX_DELETION_SIGNATURES: readonly Signature[] = [
  memoryLimitUnitTypo,
  sandboxNameConflict,
  cniFailure,
  finalizerBlocked,
  immutableFileBlocksRemoval,
];
