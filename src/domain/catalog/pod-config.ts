// Built-in signatures for containers that cannot be configured: a ConfigMap, Secret or key they name is missing.
import type { Signature } from '../signature.js';

/**
 * The kubelet's words for a reference it cannot resolve: the API's NotFound (`configmap "app-config" not found`), a
 * missing key of an env reference (`couldn't find key DATABASE_URL in ConfigMap shop/app-config`), or a missing key
 * a volume's `items` list names (`configmap references non-existent config key: app.yaml`).
 */
const MISSING_REFERENCE = [
  '(?:configmaps?|secrets?) "[^"]+" not found',
  "couldn't find key \\S+ in (?:ConfigMap|Secret) ",
  '(?:configmap|secret) references non-existent (?:config|secret) key',
].join('|');

/** The kubelet's Failed event for CreateContainerConfigError, or its FailedMount event for a ConfigMap/Secret volume. */
const KUBELET_CANNOT_RESOLVE = `(?:Error: |MountVolume\\.SetUp failed for volume "[^"]*" : )(?:${MISSING_REFERENCE})`;

const configReferenceMissing: Signature = {
  id: 'config-reference-missing',
  title: 'Container cannot be created: a ConfigMap, Secret or key it references is missing',
  targets: ['pod'],
  // A container that runs by now was configured: old events of a fixed reference do not count.
  all: [
    {
      fact: 'container.waitingReason',
      op: 'in',
      values: ['CreateContainerConfigError', 'ContainerCreating', 'PodInitializing'],
      orUnknown: true,
    },
  ],
  any: [
    { fact: 'container.waitingMessage', op: 'matches', pattern: MISSING_REFERENCE },
    { fact: 'events.pod', op: 'matches', pattern: KUBELET_CANNOT_RESOLVE },
  ],
  support: [
    { fact: 'events.pod', op: 'matches', pattern: 'Unable to attach or mount volumes: unmounted volumes' },
  ],
  confidence: 'high',
  specificity: 85,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} is never started: it takes environment variables or a volume from a ConfigMap or Secret (or a key in one) that does not exist in {{namespace}}, quoted below. The kubelet cannot build the container, so the pod stays waiting (CreateContainerConfigError for environment variables, ContainerCreating for a volume) rather than crash-looping. It keeps retrying: once the object or key exists, the container starts by itself, without a restart.',
  remediation: [
    'See which reference fails: `kubectl describe pod {{pod}} -n {{namespace}}` (the `Failed` or `FailedMount` event names the object and the key), and list everything the pod reads: `kubectl get pod {{pod}} -n {{namespace}} -o json | jq -r \'.spec | [(.volumes[]? | .configMap.name // .secret.secretName // empty), (.containers[], .initContainers[]? | (.env[]?.valueFrom | .configMapKeyRef // .secretKeyRef // empty | "\\(.name) key \\(.key)"), (.envFrom[]? | .configMapRef.name // .secretRef.name // empty))] | unique[]\'`.',
    "Check that the object exists in {{namespace}} and holds the key: `kubectl get configmap <name> -n {{namespace}} -o jsonpath='{.data}'`, or for a Secret only its key names: `kubectl get secret <name> -n {{namespace}} -o json | jq '.data | keys'`. An object of the same name in another namespace does not help: a pod reads only its own.",
    'Create the object or add the key where it is managed (Helm values, Kustomize, the GitOps repository, or the operator that syncs Secrets: `kubectl get externalsecrets -n {{namespace}}` shows a failing sync), or by hand: `kubectl create configmap <name> -n {{namespace}} --from-literal=<KEY>=<value>`, `kubectl patch configmap <name> -n {{namespace}} --type=merge -p \'{"data":{"<KEY>":"<value>"}}\'`.',
    'Then watch it start: `kubectl get pod {{pod}} -n {{namespace}} -w`. The kubelet retries on its own, so nothing needs restarting; environment variables are read only at container start, so pods already running keep their old values until they are restarted.',
    "If the application can start without it, mark the reference `optional: true` in {{workload}} (under `configMapKeyRef`/`secretKeyRef`, `configMapRef`/`secretRef`, or the volume's `configMap`/`secret`): `kubectl edit {{workload}} -n {{namespace}}`. If the reference arrived with the last rollout, `kubectl rollout undo {{workload}} -n {{namespace}}` restores the previous template while you fix it.",
  ],
};

export const POD_CONFIG_SIGNATURES: readonly Signature[] = [configReferenceMissing];
