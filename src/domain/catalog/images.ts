// Built-in signatures for image pulls that fail: missing image, credentials, registry TLS or HTTP, timeouts.
import type { Condition, Signature } from '../signature.js';

const PULL_FAILING: Condition = {
  fact: 'container.waitingReason',
  op: 'in',
  values: ['ErrImagePull', 'ImagePullBackOff'],
  orUnknown: true,
};

/** The pull error names the cause in the kubelet's "Failed to pull image" event, and in ErrImagePull's message. */
function pullFailsWith(pattern: string): Condition[] {
  return [
    { fact: 'events.pod', op: 'matches', pattern: `Failed to pull image.*(?:${pattern})` },
    { fact: 'container.waitingMessage', op: 'matches', pattern },
  ];
}

const RETRIES: Condition = { fact: 'events.pod', op: 'matches', pattern: 'Back-off pulling image' };

/** The image exists, but its manifest list has nothing for the node's platform (containerd, Docker, CRI-O wordings). */
const NO_PLATFORM =
  'no match for platform in manifest|no matching manifest for \\S+ in the manifest list|no image found in manifest list for architecture';
/** What a Docker Hub or containerd registry answers for a repository that is missing and for one that is private. */
const DENIED_AMBIGUOUS =
  'pull access denied|repository does not exist or may require|requested access to the resource is denied|insufficient_scope';

const imageNotFound: Signature = {
  id: 'image-not-found',
  title: 'Image pull fails: the image or tag does not exist',
  targets: ['pod'],
  all: [PULL_FAILING],
  any: [
    ...pullFailsWith(
      'code = NotFound|: not found|manifest unknown|manifest for \\S+ not found|artifact \\S+ not found',
    ),
    { fact: 'container.pullDeniedRepositoryMissing', op: 'eq', value: true },
  ],
  none: pullFailsWith(NO_PLATFORM),
  support: [RETRIES],
  confidence: 'high',
  specificity: 85,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} cannot start: the registry says image {{container.image}} does not exist (a wrong tag, a typo in the repository, or a build that was never pushed).',
  remediation: [
    'Ask the registry directly: `crane manifest {{container.image}}` (or `docker manifest inspect {{container.image}}`), and list the tags that do exist: `crane ls {{container.imageRegistry|<registry>}}/{{container.imageRepository|<repository>}}`.',
    'An image built on a workstation or in a local cluster was never pushed: push it to a registry the nodes can reach and reference it by that full name, or load it into the node (`kind load docker-image {{container.image}}`, `minikube image load {{container.image}}`) and set `imagePullPolicy: IfNotPresent`.',
    'Check the CI pipeline that should have pushed the tag; a release candidate or a per-commit tag is often referenced before it is published.',
    'Point the workload at an existing tag: `kubectl set image {{workload}} -n {{namespace}} {{container}}={{container.imageRegistry|<registry>}}/{{container.imageRepository|<repository>}}:<existing tag>`, or roll back: `kubectl rollout undo {{workload}} -n {{namespace}}`.',
  ],
};

const imagePullUnauthorized: Signature = {
  id: 'image-pull-unauthorized',
  title: 'Image pull fails: the registry refuses the credentials',
  targets: ['pod'],
  all: [PULL_FAILING],
  any: pullFailsWith(
    '401 Unauthorized|\\bunauthorized\\b|pull access denied|authorization failed|no basic auth credentials|403 Forbidden|requested access to the resource is denied',
  ),
  // Docker Hub's library/ namespace holds only public images: a denial there is a repository that does not exist.
  none: [{ fact: 'container.pullDeniedRepositoryMissing', op: 'eq', value: true }],
  support: [RETRIES],
  ambiguous: [
    {
      when: pullFailsWith(DENIED_AMBIGUOUS),
      alternative:
        'The registry gives this same answer for a repository or tag that does not exist (image-not-found), so that is just as likely until the reference is checked.',
      tellApart:
        'Tell "private" from "missing" first: list the tags anonymously with `crane ls {{container.imageRegistry|<registry>}}/{{container.imageRepository|<repository>}}` and try an anonymous pull of the exact tag (`crane manifest {{container.image}}`). If the repository is listed with your credentials but not without them, it is private; if it is not there at all, or the exact tag is missing, fix the reference instead.',
    },
  ],
  confidence: 'high',
  specificity: 85,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} cannot start: the registry refuses to serve {{container.image}} to the node: no pull secret, a secret for another registry, or an expired token. (Docker Hub gives the same answer for a repository that does not exist.)',
  remediation: [
    'See which credentials the pod offers: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{.spec.imagePullSecrets}{"\\n"}{.spec.serviceAccountName}{"\\n"}\'` and those of its service account: `kubectl get serviceaccount <name> -n {{namespace}} -o jsonpath=\'{.imagePullSecrets}\'`.',
    "Check the secret exists in {{namespace}} and covers this registry: `kubectl get secret <secret> -n {{namespace}} -o jsonpath='{.data.\\.dockerconfigjson}' | base64 -d | jq '.auths | keys'`.",
    'Test the credentials by hand: `crane auth login {{container.imageRegistry|<registry>}} -u <user> -p <token> && crane manifest {{container.image}}`; registry tokens expire (ECR tokens after 12 hours; on EKS prefer the node role with `ecr:BatchGetImage`).',
    'Create or renew the secret and attach it: `kubectl create secret docker-registry regcred -n {{namespace}} --docker-server={{container.imageRegistry|<registry>}} --docker-username=<user> --docker-password=<token>`, then `kubectl patch serviceaccount <name> -n {{namespace}} -p \'{"imagePullSecrets":[{"name":"regcred"}]}\'`.',
  ],
};

const registryTlsUntrusted: Signature = {
  id: 'registry-tls-untrusted',
  title: "Image pull fails: the node does not trust the registry's TLS certificate",
  targets: ['pod'],
  all: [PULL_FAILING],
  any: pullFailsWith('x509: |tls: failed to verify certificate'),
  support: [RETRIES],
  confidence: 'high',
  specificity: 88,
  summary:
    "Container {{container}} of {{namespace}}/{{pod}} cannot start: the container runtime on {{node}} rejects the registry's TLS certificate for {{container.image}}, usually because a private CA signed it and the node does not have that CA.",
  remediation: [
    'Look at the certificate from the node: `openssl s_client -connect {{container.imageRegistry|<registry>}}:443 -servername {{container.imageRegistry|<registry>}} -showcerts </dev/null | openssl x509 -noout -issuer -subject -dates` on {{node}}.',
    'Give containerd the CA for that registry on every node (node bootstrap or a DaemonSet): `/etc/containerd/certs.d/{{container.imageRegistry|<registry>}}/ca.crt` plus a `hosts.toml` naming it, with `config_path = "/etc/containerd/certs.d"` in the containerd config; for Docker, `/etc/docker/certs.d/{{container.imageRegistry|<registry>}}/ca.crt`.',
    'Or add the CA to the system trust store (`cp ca.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust`, or `update-ca-certificates` on Debian/Ubuntu), then `systemctl restart containerd`.',
    'If the message says the certificate expired or is valid for other names, fix the certificate on the registry instead; then retry with `kubectl delete pod {{pod}} -n {{namespace}}`.',
  ],
};

const registryHttpInsecure: Signature = {
  id: 'registry-http-insecure',
  title: 'Image pull fails: the registry speaks plain HTTP',
  targets: ['pod'],
  all: [PULL_FAILING],
  any: pullFailsWith('server gave HTTP response to HTTPS client'),
  support: [RETRIES],
  confidence: 'high',
  specificity: 90,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} cannot start: the runtime on {{node}} talks HTTPS to the registry of {{container.image}}, and the registry answers in plain HTTP. The runtime only uses HTTP for registries explicitly configured as insecure.',
  remediation: [
    'Confirm from the node: `curl -sI http://{{container.imageRegistry|<registry>}}/v2/` answers, `curl -sI https://{{container.imageRegistry|<registry>}}/v2/` does not (on {{node}}).',
    'Best fix: serve the registry over TLS (a certificate from a CA the nodes trust), and keep the image reference as it is.',
    'Otherwise declare it insecure on every node: containerd `/etc/containerd/certs.d/{{container.imageRegistry|<registry>}}/hosts.toml` with `server = "http://{{container.imageRegistry|<registry>}}"` and a `[host."http://{{container.imageRegistry|<registry>}}"]` section (`capabilities = ["pull", "resolve"]`), or Docker `"insecure-registries"` in `/etc/docker/daemon.json`; then restart the runtime.',
    'Retry the pull: `kubectl delete pod {{pod}} -n {{namespace}}`.',
  ],
};

const imagePullTimeout: Signature = {
  id: 'image-pull-timeout',
  title: 'Image pull times out',
  targets: ['pod'],
  all: [PULL_FAILING],
  any: pullFailsWith(
    'i/o timeout|context deadline exceeded|context canceled|TLS handshake timeout|Client\\.Timeout exceeded|connection timed out|net/http: request canceled',
  ),
  support: [RETRIES],
  confidence: 'medium',
  specificity: 60,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} cannot start: pulling {{container.image}} on {{node}} times out. Either the node cannot reach the registry (DNS, NAT, proxy, firewall) or the pull is too slow (a large image, many pulls queued behind each other).',
  remediation: [
    'Test the path from the node: `curl -sv --max-time 10 https://{{container.imageRegistry|<registry>}}/v2/ -o /dev/null` and `nslookup {{container.imageRegistry|<registry>}}` on {{node}}; check NAT gateway, proxy settings of containerd, and VPC endpoints for the registry.',
    "Size up the image: `crane manifest {{container.image}} | jq '[.layers[].size] | add'`; multi-gigabyte images pulled by many new pods at once queue up, since the kubelet pulls one image at a time by default.",
    'On the kubelet: `serializeImagePulls: false` with `maxParallelImagePulls`, a longer `runtimeRequestTimeout`; or pre-pull large images with a DaemonSet, or use a registry mirror close to the nodes.',
    'Once the path works, retry: `kubectl delete pod {{pod}} -n {{namespace}}`.',
  ],
};

const imagePlatformMismatch: Signature = {
  id: 'image-platform-mismatch',
  title: "Image built for another CPU architecture than the node's",
  targets: ['pod'],
  all: [],
  // Plain phrases, no leading `.*`: this signature reads every pod's events and log, so each scan must stay cheap.
  any: [
    { fact: 'events.pod', op: 'matches', pattern: `${NO_PLATFORM}|exec format error` },
    { fact: 'container.waitingMessage', op: 'matches', pattern: `${NO_PLATFORM}|exec format error` },
    { fact: 'logs.previous', op: 'matches', pattern: 'exec format error' },
    { fact: 'container.terminationMessage', op: 'matches', pattern: 'exec format error' },
  ],
  // An exec probe whose command is for another architecture fails the probe, not the container's own command.
  none: [
    { fact: 'events.pod', op: 'matches', pattern: 'probe (failed|errored):[^\\n]{0,400}exec format error' },
  ],
  support: [
    { fact: 'container.restartCount', op: 'gte', value: 1 },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 92,
  summary:
    "Container {{container}} of {{namespace}}/{{pod}} cannot run on {{node}}: image {{container.image}} has no build for the node's CPU architecture. Either the pull finds no entry for the node's platform in the image's manifest list, or the image that was pulled holds binaries for another architecture, which the kernel refuses to execute (`exec format error`).",
  remediation: [
    "See which platforms the image offers: `crane manifest {{container.image}} | jq '.manifests[]?.platform'` (or `docker manifest inspect {{container.image}}`); a single-platform image shows none there, so read its config: `crane config {{container.image}} | jq -r '.os + \"/\" + .architecture'`. Compare with the node: `kubectl get node {{node}} -o jsonpath='{.status.nodeInfo.architecture}'`.",
    'Publish a multi-arch image so every node pulls its own variant: `docker buildx build --platform linux/amd64,linux/arm64 -t <image>:<tag> --push .`, then point {{workload}} at it.',
    'Until then keep the pods on nodes that can run the image: `kubectl patch {{workload}} -n {{namespace}} -p \'{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/arch":"amd64"}}}}}\'` (use the architecture the image was built for).',
    "If the manifest list does include the node's platform, the node holds a wrong variant under that tag (a tag overwritten by a single-arch push): remove it with `crictl rmi {{container.image}}` on {{node}} and let it pull again, and pin images by digest.",
  ],
};

export const IMAGE_SIGNATURES: readonly Signature[] = [
  imagePlatformMismatch,
  imageNotFound,
  imagePullUnauthorized,
  registryTlsUntrusted,
  registryHttpInsecure,
  imagePullTimeout,
];
