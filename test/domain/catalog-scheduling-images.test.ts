// The scheduling, image, sandbox and deletion catalog on plain objects: the right cause first, quoted, with real names.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { ok, unavailable } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import { imageReference } from '../../src/domain/facts/workload-facts.js';
import {
  details,
  expectRealNames,
  findings,
  ids,
  NODE,
  notReady,
  pendingContext,
  podContext,
} from '../support/catalog-fixtures.js';
import { alert, container, context, event, node, pod } from '../support/contexts.js';

const waitingAlert = (reason: string) => alert({ alertname: 'KubeContainerWaiting', reason });
const scheduling = (message: string) => event('FailedScheduling', message, 'Warning', 4);

describe('scheduling', () => {
  const mixed =
    '0/6 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 4 Insufficient memory. preemption: 0/6 nodes are available: 2 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod.';

  it('a message naming taints and resources ranks the resources first: they block the nodes the pod is meant for', () => {
    const all = findings(notReady(), pendingContext(mixed, [scheduling(mixed)]));
    expect(all[0]?.signatureId).toBe('insufficient-resources');
    expect(ids(all)).toContain('untolerated-taint');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([`scheduler: ${mixed}`, `Warning FailedScheduling (x4): ${mixed}`]),
    );
    expectRealNames(all[0]);
  });

  it('insufficient resources on every node', () => {
    const msg =
      '0/5 nodes are available: 5 Insufficient cpu. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.';
    const [top] = findings(notReady(), pendingContext(msg));
    expect(top?.signatureId).toBe('insufficient-resources');
    expect(top?.remediation.join('\n')).toContain(
      'kubectl set resources deployment/checkout-api -n payments -c checkout-api',
    );
  });

  it('an untolerated taint on every node, with the older "that the pod didn\'t tolerate" wording too', () => {
    const msg =
      '0/4 nodes are available: 4 node(s) had untolerated taint {workload: batch}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.';
    const [top] = findings(notReady(), pendingContext(msg));
    expect(top?.signatureId).toBe('untolerated-taint');
    expect(details(top)).toContain(`scheduler: ${msg}`);
    expectRealNames(top);
    const old = "0/3 nodes are available: 3 node(s) had taint {special: true}, that the pod didn't tolerate.";
    expect(findings(notReady(), pendingContext(old))[0]?.signatureId).toBe('untolerated-taint');
  });

  it("taints the node controller sets for conditions are not the pod's to tolerate", () => {
    const msg = '0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.';
    expect(ids(findings(notReady(), pendingContext(msg)))).not.toContain('untolerated-taint');
  });

  it('no node matching the selector', () => {
    const msg =
      "0/6 nodes are available: 6 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.";
    const [top] = findings(notReady(), pendingContext(undefined, [scheduling(msg)]));
    expect(top?.signatureId).toBe('node-selector-mismatch');
    expect(details(top)).toContain(`Warning FailedScheduling (x4): ${msg}`);
    expectRealNames(top);
  });

  it('a volume zone conflict outranks the full nodes of the right zone', () => {
    const msg =
      '0/6 nodes are available: 2 Insufficient memory, 4 node(s) had volume node affinity conflict. preemption: 0/6 nodes are available: 2 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.';
    const all = findings(notReady(), pendingContext(msg));
    expect(ids(all).slice(0, 2)).toEqual(['volume-zone-conflict', 'insufficient-resources']);
    expectRealNames(all[0]);
    const older =
      '0/4 nodes are available: 1 node(s) had no available volume zone, 2 Insufficient cpu, 3 Insufficient memory.';
    expect(ids(findings(notReady(), pendingContext(older)))).toContain('volume-zone-conflict');
  });

  it('a FailedScheduling event alone still proves it when the pod status could not be read, one step less sure', () => {
    const msg = '0/5 nodes are available: 5 Insufficient memory.';
    const ctx = pendingContext(undefined, [scheduling(msg)]);
    const [top] = findings(notReady(), { ...ctx, pod: unavailable('HTTP 500') });
    expect(top?.signatureId).toBe('insufficient-resources');
    expect(top?.confidence).toBe('medium');
    expect(top?.unchecked?.join('\n')).toContain('HTTP 500');
  });

  it('a pod that is scheduled by now is not diagnosed from old FailedScheduling events', () => {
    const msg = '0/5 nodes are available: 5 Insufficient memory.';
    const ctx = podContext(container({ ready: false }), {
      podEvents: [scheduling(msg)],
      podOverrides: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
    });
    expect(ids(findings(notReady(), ctx))).not.toContain('insufficient-resources');
  });

  it('a pod pending for seconds, with no scheduler verdict yet, yields nothing', () => {
    expect(findings(notReady(), pendingContext(undefined))).toEqual([]);
  });
});

describe('image pulls', () => {
  const image = 'registry.example.com/payments/checkout-api:2.14.1';
  const pulling = (reason: 'ErrImagePull' | 'ImagePullBackOff', message?: string) =>
    container({ ready: false, waiting: { reason, ...(message ? { message } : {}) } });
  const failed = (cause: string) =>
    event('Failed', `Failed to pull image "${image}": ${cause}`, 'Warning', 17);
  const cases: [string, string][] = [
    [
      'image-not-found',
      `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
    ],
    [
      'image-pull-unauthorized',
      `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://registry.example.com/service/token: 401 Unauthorized`,
    ],
    [
      'registry-tls-untrusted',
      `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "https://registry.example.com/v2/payments/checkout-api/manifests/2.14.1": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    ],
    [
      'registry-http-insecure',
      `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "https://registry.example.com/v2/payments/checkout-api/manifests/2.14.1": http: server gave HTTP response to HTTPS client`,
    ],
    [
      'image-pull-timeout',
      `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://registry.example.com/v2/blobs/sha256:3f5d": dial tcp 10.0.0.8:443: i/o timeout`,
    ],
  ];

  it.each(cases)('%s from the kubelet\'s "Failed to pull image" event, alone at the top', (id, cause) => {
    const ctx = podContext(pulling('ImagePullBackOff', `Back-off pulling image "${image}"`), {
      podEvents: [failed(cause), event('BackOff', `Back-off pulling image "${image}"`, 'Normal', 240)],
    });
    const all = findings(waitingAlert('ImagePullBackOff'), ctx);
    expect(ids(all)).toEqual([id]);
    expect(details(all[0])).toContain(`Warning Failed (x17): Failed to pull image "${image}": ${cause}`);
    expectRealNames(all[0]);
  });

  it.each(cases)('%s from the ErrImagePull message alone', (id, cause) => {
    const ctx = podContext(pulling('ErrImagePull', cause));
    expect(findings(waitingAlert('ErrImagePull'), ctx)[0]?.signatureId).toBe(id);
  });

  it('an old pull failure does not count once the container runs', () => {
    const ctx = podContext(container(), { podEvents: [failed(cases[0]?.[1] ?? '')] });
    expect(findings(notReady(), ctx)).toEqual([]);
  });

  it('the pull timeout is reported with medium confidence: the event does not say why the registry is slow', () => {
    const ctx = podContext(pulling('ErrImagePull', cases[4]?.[1] ?? ''));
    expect(findings(waitingAlert('ErrImagePull'), ctx)[0]?.confidence).toBe('medium');
  });
});

describe('container creation', () => {
  const creating = (overrides = {}) =>
    container({ ready: false, waiting: { reason: 'ContainerCreating' }, ...overrides });

  it('a 512m memory limit is 0.512 bytes: memory-limit-unit-typo, quoting the limit and the killed sandbox', () => {
    const sandbox =
      '(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to start sandbox "4be1": failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: container init was OOM-killed (memory limit too low?): unknown';
    const ctx = podContext(creating({ memoryLimit: '512m', memoryLimitBytes: 0.512 }), {
      podEvents: [
        event('FailedCreatePodSandBox', sandbox, 'Warning', 251),
        event('SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.', 'Normal', 250),
      ],
    });
    const all = findings(waitingAlert('ContainerCreating'), ctx);
    expect(all[0]?.signatureId).toBe('memory-limit-unit-typo');
    expect(ids(all)).not.toContain('cni-failure');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([
        'container checkout-api memory limit 512m (= 0.512 bytes)',
        `Warning FailedCreatePodSandBox (x251): ${sandbox}`,
      ]),
    );
    expect(all[0]?.summary).toContain('512m');
    expectRealNames(all[0]);
  });

  it('the field guide\'s docker message ("signal: killed") with a 1024m limit', () => {
    const msg =
      'Failed create pod sandbox: rpc error: code = Unknown desc = failed to start sandbox container for pod "x": Error response from daemon: OCI runtime create failed: container_linux.go:348: starting container process caused "process_linux.go:301: running exec setns process for init caused \\"signal: killed\\"": unknown';
    const ctx = podContext(creating({ memoryLimit: '1024m', memoryLimitBytes: 1.024 }), {
      podEvents: [event('FailedCreatePodSandBox', msg)],
    });
    expect(findings(waitingAlert('ContainerCreating'), ctx)[0]?.signatureId).toBe('memory-limit-unit-typo');
  });

  it('a sane limit is never a unit typo', () => {
    const ctx = podContext(creating({ memoryLimit: '512Mi', memoryLimitBytes: 536870912 }));
    expect(ids(findings(waitingAlert('ContainerCreating'), ctx))).not.toContain('memory-limit-unit-typo');
  });

  it.each([
    'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to reserve sandbox name "checkout-api-7d9f8c6b5-x2x7q_payments_3f6d2b9e_0": name "checkout-api-7d9f8c6b5-x2x7q_payments_3f6d2b9e_0" is reserved for "0f1a2b"',
    'Failed create pod sandbox: rpc error: code = Unknown desc = failed to create a sandbox for pod "checkout-api-7d9f8c6b5-x2x7q": Error response from daemon: Conflict. The container name "/k8s_POD_checkout-api-7d9f8c6b5-x2x7q_payments_3f6d2b9e_0" is already in use by container "30aa3f58". You have to remove (or rename) that container to be able to reuse that name.',
  ])('a sandbox name still held by a stale container: %s', (msg) => {
    const ctx = podContext(creating(), { podEvents: [event('FailedCreatePodSandBox', msg, 'Warning', 12)] });
    const [top] = findings(waitingAlert('ContainerCreating'), ctx);
    expect(top?.signatureId).toBe('sandbox-name-conflict');
    expect(details(top)).toContain(`Warning FailedCreatePodSandBox (x12): ${msg}`);
    expectRealNames(top, { node: true });
  });

  it('a CNI that cannot assign an IP, behind the "(combined from similar events)" prefix', () => {
    const msg =
      '(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "ed3e5500": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container';
    const ctx = podContext(creating(), { podEvents: [event('FailedCreatePodSandBox', msg, 'Warning', 5)] });
    const [top] = findings(waitingAlert('ContainerCreating'), ctx);
    expect(top?.signatureId).toBe('cni-failure');
    expect(details(top)).toContain(`Warning FailedCreatePodSandBox (x5): ${msg}`);
    expect(top?.remediation.join('\n')).toContain(`kubectl cordon ${NODE}`);
    expectRealNames(top, { node: true });
  });

  it('a sandbox failing for lack of disk is not a CNI failure', () => {
    const msg =
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create a sandbox for pod "x": mkdir /var/lib/containerd/x: no space left on device';
    const ctx = podContext(creating(), { podEvents: [event('FailedCreatePodSandBox', msg)] });
    expect(ids(findings(waitingAlert('ContainerCreating'), ctx))).not.toContain('cni-failure');
  });
});

describe('pods stuck terminating', () => {
  const stopped = container({ ready: false, terminated: { exitCode: 0, reason: 'Completed' } });
  const deleting = (deletionTimestamp: string, finalizers: string[]) => ({ deletionTimestamp, finalizers });

  it('deleted 15 minutes ago with a finalizer left: finalizer-blocked, quoting the age and the finalizer', () => {
    const ctx = podContext(stopped, {
      podOverrides: deleting('2026-11-23T08:25:00.000Z', ['reports.example.com/upload-complete']),
    });
    const [top] = findings(notReady(), ctx);
    expect(top?.signatureId).toBe('finalizer-blocked');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('still present 900s later'),
        'finalizer reports.example.com/upload-complete',
      ]),
    );
    expect(top?.remediation.join('\n')).toContain(
      'kubectl patch pod checkout-api-7d9f8c6b5-x2x7q -n payments --type=json',
    );
    expectRealNames(top, { container: false });
  });

  it('a deletion a minute old, or without finalizers, or on a dead node, is not a finalizer problem', () => {
    const recent = podContext(stopped, {
      podOverrides: deleting('2026-11-23T08:39:00.000Z', ['example.com/x']),
    });
    expect(ids(findings(notReady(), recent))).not.toContain('finalizer-blocked');
    const none = podContext(stopped, { podOverrides: deleting('2026-11-23T08:00:00.000Z', []) });
    expect(ids(findings(notReady(), none))).not.toContain('finalizer-blocked');
    const deadNode = podContext(stopped, {
      podOverrides: deleting('2026-11-23T08:00:00.000Z', ['example.com/x']),
      node: ok(node({ Ready: 'Unknown' })),
    });
    expect(ids(findings(notReady(), deadNode))).not.toContain('finalizer-blocked');
  });

  const eperm =
    'error killing pod: failed to "KillContainer" for "checkout-api" with KillContainerError: "rpc error: code = Unknown desc = failed to remove container \\"19d837c7\\": failed to remove rootfs: unlinkat /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/4821/fs/usr/bin/bash: operation not permitted"';

  it('"operation not permitted" removing a container\'s files: immutable-file-blocks-removal, with lsattr and chattr -i', () => {
    const killed = container({ ready: false, terminated: { exitCode: 137, reason: 'Error' } });
    const ctx = podContext(killed, {
      podEvents: [event('FailedKillPod', eperm, 'Warning', 19)],
      podOverrides: deleting('2026-11-23T08:09:31.000Z', []),
    });
    const all = findings(notReady(), ctx);
    expect(all[0]?.signatureId).toBe('immutable-file-blocks-removal');
    expect(ids(all)).not.toContain('external-sigkill');
    expect(details(all[0])).toContain(`Warning FailedKillPod (x19): ${eperm}`);
    expect(all[0]?.remediation.join('\n')).toMatch(/lsattr[\s\S]*chattr -i/);
    expectRealNames(all[0], { node: true, container: false });
  });

  it("the same error among the node's events counts as well", () => {
    const ctx = podContext(stopped, {
      nodeEvents: [
        event(
          'ContainerGCFailed',
          `rpc error: code = Unknown desc = failed to remove container: unlinkat /var/lib/kubelet/pods/3f6d2b9e/volumes/kubernetes.io~empty-dir/cache/lock: operation not permitted`,
        ),
      ],
      podOverrides: deleting('2026-11-23T08:20:00.000Z', []),
    });
    expect(findings(notReady(), ctx)[0]?.signatureId).toBe('immutable-file-blocks-removal');
  });
});

describe('image references', () => {
  it.each([
    ['registry.example.com/shop/storefront-web:3.8.0-rc1', 'registry.example.com', 'shop/storefront-web'],
    ['nginx:1.27', 'docker.io', 'library/nginx'],
    ['bitnami/redis', 'docker.io', 'bitnami/redis'],
    [`localhost:5000/app@sha256:${'a'.repeat(64)}`, 'localhost:5000', 'app'],
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:v2',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'payments/api',
    ],
  ])('%s is %s / %s', (image, registry, repository) => {
    expect(imageReference(image)).toEqual({ registry, repository });
  });

  it('fill the registry into the pull remediation', () => {
    const [top] = diagnose(
      alert(),
      context({
        pod: ok(
          pod([
            container({
              image: 'registry.example.com/shop/storefront-web:3.8.0-rc1',
              waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' },
            }),
          ]),
        ),
        podEvents: [
          event(
            'Failed',
            'Failed to pull image "registry.example.com/shop/storefront-web:3.8.0-rc1": manifest unknown',
          ),
        ],
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('image-not-found');
    expect(top?.remediation.join('\n')).toContain('crane ls registry.example.com/shop/storefront-web');
  });
});
