// Built-in signatures for workload alerts (kube-prometheus apps alerts) when no pod-level cause is proven.
// Each excludes a proven pod-level cause: the pods' own diagnosis leads, these say what the workload shows.
import type { Signature } from '../signature.js';

const NO_POD_CAUSE = { fact: 'workload.podCause', op: 'exists' } as const;
/**
 * Pod-level causes that are what too few replicas under load look like: each replica runs out of its own memory or
 * CPU. They do not rule out an autoscaler at its ceiling; they are how its ceiling shows.
 */
const LOAD_SYMPTOMS = ['container-oom-killed', 'cpu-throttling'];

const rolloutStuck: Signature = {
  id: 'rollout-stuck',
  title: 'Rollout stuck: the new revision does not become available',
  targets: ['workload'],
  all: [{ fact: 'workload.kind', op: 'in', values: ['Deployment', 'StatefulSet', 'DaemonSet'] }],
  any: [
    { fact: 'workload.progressing', op: 'eq', value: 'ProgressDeadlineExceeded' },
    { fact: 'workload.updatePending', op: 'eq', value: true },
  ],
  none: [NO_POD_CAUSE],
  support: [
    { fact: 'workload.change', op: 'exists' },
    { fact: 'workload.failingPods', op: 'exists' },
    { fact: 'workload.unavailable', op: 'gte', value: 1 },
  ],
  confidence: 'medium',
  specificity: 30,
  summary:
    'The rollout of {{workload}} in {{namespace}} is not progressing ({{workload.state}}); its pods show no failure the catalog can name, so look at what the new revision needs that it does not get.',
  remediation: [
    'See where it stands: `kubectl rollout status {{workload}} -n {{namespace}} --timeout=10s` and `kubectl describe {{workload}} -n {{namespace}}` (Conditions and Events).',
    "Look at the new revision's pods and its ReplicaSet's events (quota, admission webhooks, PodSecurity refusals show there): `kubectl get rs,pods -n {{namespace}} -o wide` and `kubectl get events -n {{namespace}} --sort-by=.lastTimestamp | tail -30`.",
    'Compare the revisions: `kubectl rollout history {{workload}} -n {{namespace}}` and `kubectl rollout history {{workload}} -n {{namespace}} --revision=<n>`.',
    'If the new revision is at fault, go back to the previous one: `kubectl rollout undo {{workload}} -n {{namespace}}`.',
  ],
};

const jobFailed: Signature = {
  id: 'job-failed',
  title: 'Job failed: its pods kept failing until the Job gave up',
  targets: ['workload'],
  all: [{ fact: 'job.failed', op: 'exists' }],
  none: [NO_POD_CAUSE],
  support: [
    { fact: 'job.podExits', op: 'matches', pattern: 'exited' },
    { fact: 'job.cronJob', op: 'exists' },
  ],
  confidence: 'high',
  specificity: 40,
  summary:
    "{{workload}} in {{namespace}} failed: {{workload.state}}. The failed pods' exit codes and termination messages are the evidence; the application's own log says why it exited.",
  remediation: [
    'Read why the pods exited: `kubectl logs {{workload}} -n {{namespace}} --tail=200` (the newest pod) and `kubectl get pods -n {{namespace}} -l batch.kubernetes.io/job-name={{workload.name|<job>}} -o wide`.',
    "See the Job's limits and conditions: `kubectl describe {{workload}} -n {{namespace}}` (backoffLimit, activeDeadlineSeconds, Conditions).",
    'Once the cause is fixed, run it again; from its CronJob: `kubectl create job {{job.cronJob|<cronjob>}}-rerun -n {{namespace}} --from=cronjob/{{job.cronJob|<cronjob>}}`, or re-create the Job from its manifest.',
    'Failed Jobs stay until deleted (and their alert with them): `kubectl delete {{workload}} -n {{namespace}}` once it is understood, or set `ttlSecondsAfterFinished`.',
  ],
};

const hpaMaxedOut: Signature = {
  id: 'hpa-maxed-out',
  title: 'Autoscaler at its maximum while load stays above target',
  targets: ['workload'],
  all: [{ fact: 'hpa.atMax', op: 'eq', value: true }],
  any: [
    { fact: 'hpa.metricsAboveTarget', op: 'exists' },
    { fact: 'hpa.scalingLimited', op: 'eq', value: 'TooManyReplicas' },
  ],
  none: [{ fact: 'workload.podCause', op: 'notIn', values: LOAD_SYMPTOMS }],
  support: [
    { fact: 'hpa.metricsAboveTarget', op: 'matches', pattern: 'target' },
    // Quoting the pod-level cause is what lets this finding lead it (workload/answer.ts).
    { fact: 'workload.podCause', op: 'in', values: LOAD_SYMPTOMS },
  ],
  confidence: 'high',
  specificity: 40,
  summary:
    '{{workload}} in {{namespace}} runs {{hpa.scaleTarget}} at its maximum of {{hpa.maxReplicas}} replicas and the load is still above its target: it cannot scale further, so each replica carries more than planned.',
  remediation: [
    'See the metrics against their targets and the scaling events: `kubectl describe {{workload}} -n {{namespace}}`.',
    'If the load is real and the cluster has room, raise the ceiling: `kubectl patch {{workload}} -n {{namespace}} -p \'{"spec":{"maxReplicas":<new max>}}\'` (and check node capacity: `kubectl top nodes`).',
    "If the replicas are busy for another reason (a slow dependency, a hot loop), adding more will not help: `kubectl top pods -n {{namespace}}` and the service's latency and error dashboards.",
    'If its pods are also OOM-killed or throttled at their limits, that is the extra load per replica: more replicas spread it; higher limits only let each replica carry more (`kubectl top pods -n {{namespace}}` against the limits).',
    "If the target is too low for what a replica can carry, raise the target utilisation or the pods' requests instead of the replica count.",
  ],
};

const daemonSetNotScheduled: Signature = {
  id: 'daemonset-not-scheduled',
  title: 'DaemonSet pods missing from nodes (taints, node selector)',
  targets: ['workload'],
  all: [
    { fact: 'workload.kind', op: 'eq', value: 'DaemonSet' },
    {
      fact: 'daemonset.gaps',
      op: 'matches',
      pattern: 'not tolerated|does not match|no daemon pod was created',
    },
  ],
  none: [NO_POD_CAUSE],
  support: [{ fact: 'workload.updatePending', op: 'eq', value: true }],
  confidence: 'high',
  specificity: 45,
  summary:
    '{{workload}} in {{namespace}} is not on the nodes it should be ({{workload.state}}): {{daemonset.gap}}.',
  remediation: [
    "See the node's taints and labels against the DaemonSet's tolerations and nodeSelector: `kubectl describe node {{daemonset.gapNode|<node>}} | grep -A5 Taints` and `kubectl get {{workload}} -n {{namespace}} -o jsonpath='{.spec.template.spec.tolerations}{\"\\n\"}{.spec.template.spec.nodeSelector}'`.",
    'If the DaemonSet must run there (log shippers, CNI, monitoring agents), tolerate the taint: `kubectl patch {{workload}} -n {{namespace}} --type=json -p \'[{"op":"add","path":"/spec/template/spec/tolerations/-","value":{"key":"{{daemonset.taintKey|<key>}}","operator":"Exists","effect":"{{daemonset.taintEffect|NoSchedule}}"}}]\'`.',
    'If the taint was added by mistake, remove it: `kubectl taint nodes {{daemonset.gapNode|<node>}} {{daemonset.taintKey|<key>}}:{{daemonset.taintEffect|NoSchedule}}-`.',
    'For a node selector mismatch, label the node or correct the selector: `kubectl label node <node> <key>=<value>`.',
  ],
};

export const WORKLOAD_SIGNATURES: readonly Signature[] = [
  rolloutStuck,
  jobFailed,
  hpaMaxedOut,
  daemonSetNotScheduled,
];
