// Built-in signatures for persistent volumes that keep a scheduled pod from starting: a disk attached elsewhere.
import type { Signature } from '../signature.js';

/** The attach/detach controller refuses to attach a ReadWriteOnce volume that it still counts as attached elsewhere. */
const MULTI_ATTACH = 'Multi-Attach error for volume|Volume is already exclusively attached to one node';
/** The cloud refuses instead: EBS `VolumeInUse … is already attached to an instance`, GCE `is already being used by`. */
const ATTACHED_ELSEWHERE =
  'AttachVolume\\.Attach failed for volume [^:]*: .{0,600}(?:already attached|already (?:being )?used by|already in use|VolumeInUse)';

const volumeAttachedElsewhere: Signature = {
  id: 'volume-attached-elsewhere',
  title: 'Pod cannot start: its volume is still attached to another node',
  targets: ['pod'],
  all: [{ fact: 'pod.phase', op: 'eq', value: 'Pending', orUnknown: true }],
  any: [
    { fact: 'events.pod', op: 'matches', pattern: MULTI_ATTACH },
    { fact: 'events.pod', op: 'matches', pattern: ATTACHED_ELSEWHERE },
  ],
  support: [
    { fact: 'container.waitingReason', op: 'in', values: ['ContainerCreating', 'PodInitializing'] },
    { fact: 'events.pod', op: 'matches', pattern: 'Unable to attach or mount volumes: unmounted volumes' },
  ],
  confidence: 'high',
  specificity: 70,
  summary:
    'Pod {{namespace}}/{{pod}} is scheduled on {{node}} but cannot start: a ReadWriteOnce volume it mounts is still attached to another node (quoted below), and such a disk attaches to one node at a time. Usually an earlier pod of {{workload}} ran on a node that failed: the pod was replaced elsewhere (it "floated"), but the disk was never detached from the old node. Once the old pod is gone, the attach/detach controller detaches the disk, forcibly if the old node cannot confirm the unmount (after about 6 minutes), and the pod starts by itself; while the old pod is stuck Terminating on an unreachable node, it waits.',
  remediation: [
    "Find the volume and the node that holds it: the claim `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.volumes[*].persistentVolumeClaim.claimName}'`, its volume `kubectl get pvc <claim> -n {{namespace}} -o jsonpath='{.spec.volumeName}'` (the event names it too), then `kubectl get volumeattachments -o custom-columns=NAME:.metadata.name,PV:.spec.source.persistentVolumeName,NODE:.spec.nodeName,ATTACHED:.status.attached | grep <pv name>`.",
    'Look at that node and what still runs there: `kubectl get node <old node>` (NotReady or Unknown: its kubelet cannot unmount anything), and `kubectl get pods -n {{namespace}} -o wide --field-selector spec.nodeName=<old node>` for an earlier pod of {{workload}} still Running or Terminating.',
    'If the old node is coming back (kubelet restarting, instance rebooting), wait: its kubelet unmounts the volume, the controller detaches it and {{pod}} starts without help.',
    'If the old node is gone for good (confirm the instance is stopped or terminated first: two nodes writing one disk corrupt it), release the disk: `kubectl taint nodes <old node> node.kubernetes.io/out-of-service=nodeshutdown:NoExecute` (non-graceful node shutdown, Kubernetes 1.26+: its pods are deleted and their volumes detached at once), or force-delete the stale pod: `kubectl delete pod <old pod> -n {{namespace}} --grace-period=0 --force`. Delete a VolumeAttachment that still lingers afterwards (`kubectl delete volumeattachment <name>`) only as a last resort, and never the PVC or PV: with reclaimPolicy Delete that destroys the disk and its data.',
    "If it stays stuck, compare with the cloud's view: `kubectl get pv <pv name> -o jsonpath='{.spec.csi.volumeHandle}'`, then `aws ec2 describe-volumes --volume-ids <volume id> --query \"Volumes[].Attachments\"` (or your provider's disk view).",
    'Prevent it on rollouts: only one node can mount a ReadWriteOnce volume, so a Deployment\'s default RollingUpdate starts the new pod before the old one lets go of the disk. For a Deployment, switch to the Recreate strategy: `kubectl patch {{workload}} -n {{namespace}} -p \'{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}\'`, or run it as a StatefulSet; use ReadWriteMany storage if several pods must share the data.',
  ],
};

export const VOLUME_SIGNATURES: readonly Signature[] = [volumeAttachedElsewhere];
