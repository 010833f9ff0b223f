// Pods that are scheduled but never start: a missing ConfigMap/Secret reference, a volume attached to another node.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { unavailable } from '../../src/domain/context.js';
import { regexHazard } from '../../src/domain/regex-safety.js';
import {
  crashed,
  details,
  expectRealNames,
  findings,
  ids,
  NODE,
  notReady,
  pendingContext,
  podContext,
} from '../support/catalog-fixtures.js';
import { alert, container, event } from '../support/contexts.js';

const waitingAlert = (reason: string) => alert({ alertname: 'KubeContainerWaiting', reason });
const waiting = (reason: string, message?: string) =>
  container({ ready: false, waiting: { reason, ...(message ? { message } : {}) } });
const pending = { podOverrides: { phase: 'Pending' } };

describe('config-reference-missing', () => {
  const messages = [
    'configmap "app-config" not found',
    'secret "db-credentials" not found',
    "couldn't find key DATABASE_URL in ConfigMap payments/app-config",
    "couldn't find key password in Secret payments/db-credentials",
  ];

  it.each(messages)('CreateContainerConfigError "%s": alone at the top, quoting status and event', (msg) => {
    const ctx = podContext(waiting('CreateContainerConfigError', msg), {
      ...pending,
      podEvents: [event('Failed', `Error: ${msg}`, 'Warning', 14)],
    });
    const all = findings(waitingAlert('CreateContainerConfigError'), ctx);
    expect(ids(all)).toEqual(['config-reference-missing']);
    expect(all[0]?.confidence).toBe('high');
    expect(details(all[0])).toEqual([
      `container checkout-api waiting: CreateContainerConfigError (${msg})`,
      `Warning Failed (x14): Error: ${msg}`,
    ]);
    expectRealNames(all[0]);
  });

  it('remediation names the pod and its workload, and says the pod starts once the object exists', () => {
    const ctx = podContext(waiting('CreateContainerConfigError', messages[0]), pending);
    const [top] = findings(waitingAlert('CreateContainerConfigError'), ctx);
    const steps = top?.remediation.join('\n') ?? '';
    expect(steps).toContain('kubectl describe pod checkout-api-7d9f8c6b5-x2x7q -n payments');
    expect(steps).toContain('kubectl get configmap <name> -n payments');
    expect(steps).toContain('optional: true');
    expect(steps).toContain('kubectl rollout undo deployment/checkout-api -n payments');
    expect(top?.summary).toContain('without a restart');
  });

  it.each([
    'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
    'MountVolume.SetUp failed for volume "db" : secret "db-credentials" not found',
    'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: app.yaml',
  ])('a FailedMount while the container waits in ContainerCreating: %s', (msg) => {
    const ctx = podContext(waiting('ContainerCreating'), {
      ...pending,
      podEvents: [
        event('FailedMount', msg, 'Warning', 23),
        event(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[], failed to process volumes=[]: timed out waiting for the condition',
          'Warning',
          9,
        ),
      ],
    });
    const all = findings(waitingAlert('ContainerCreating'), ctx);
    expect(ids(all)).toEqual(['config-reference-missing']);
    expect(details(all[0])).toContain(`Warning FailedMount (x23): ${msg}`);
    expectRealNames(all[0]);
  });

  it('a pod with init containers waits in PodInitializing and is diagnosed the same way', () => {
    const msg = 'MountVolume.SetUp failed for volume "tls" : secret "checkout-api-tls" not found';
    const ctx = podContext(waiting('PodInitializing'), {
      ...pending,
      podEvents: [event('FailedMount', msg, 'Warning', 7)],
    });
    expect(findings(notReady(), ctx)[0]?.signatureId).toBe('config-reference-missing');
  });

  it('the kubelet event alone proves it when the pod status could not be read, one step less sure', () => {
    const msg = 'secret "db-credentials" not found';
    const ctx = podContext(waiting('CreateContainerConfigError', msg), {
      podEvents: [event('Failed', `Error: ${msg}`, 'Warning', 14)],
    });
    const [top] = findings(waitingAlert('CreateContainerConfigError'), {
      ...ctx,
      pod: unavailable('HTTP 500'),
    });
    expect(top?.signatureId).toBe('config-reference-missing');
    expect(top?.confidence).toBe('medium');
    expect(top?.unchecked?.join('\n')).toContain('HTTP 500');
  });

  it('a container that runs by now is not diagnosed from old events of a fixed reference', () => {
    const ctx = podContext(container(), {
      podEvents: [event('Failed', 'Error: configmap "app-config" not found', 'Warning', 6)],
    });
    expect(findings(notReady(), ctx)).toEqual([]);
  });

  it.each([
    'container has runAsNonRoot and image will run as root (pod: "checkout-api-7d9f8c6b5-x2x7q_payments(3f6d2b9e)", container: checkout-api)',
    'failed to sync configmap cache: timed out waiting for the condition',
  ])('other CreateContainerConfigError causes are not a missing reference: %s', (msg) => {
    const ctx = podContext(waiting('CreateContainerConfigError', msg), {
      ...pending,
      podEvents: [event('Failed', `Error: ${msg}`, 'Warning', 14)],
    });
    expect(ids(findings(waitingAlert('CreateContainerConfigError'), ctx))).not.toContain(
      'config-reference-missing',
    );
  });

  it('leaves the subPath bug to subpath-configmap-exit-128', () => {
    const mountError =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "/var/lib/kubelet/pods/3f6d2b9e/volume-subpaths/config/checkout-api/0" to rootfs at "/app/application.properties": no such file or directory: unknown';
    const ctx = podContext(
      crashed(
        { exitCode: 128, reason: 'StartError', message: mountError, startedAt: '1970-01-01T00:00:00Z' },
        { subPathConfigMounts: 1 },
      ),
      { podEvents: [event('Failed', `Error: ${mountError}`, 'Warning', 8)] },
    );
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('subpath-configmap-exit-128');
    expect(ids(all)).not.toContain('config-reference-missing');
  });

  it('leaves a running application that complains about its configuration to config-error', () => {
    const ctx = podContext(crashed({ exitCode: 1, startedAt: '2026-11-23T08:34:58.000Z' }), {
      previousLog: { status: 'ok', value: 'FATAL: environment variable DATABASE_URL is not set\n' },
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('config-error');
    expect(ids(all)).not.toContain('config-reference-missing');
  });

  it('an image that is "not found" is a pull problem, not a missing reference', () => {
    const msg =
      'rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/payments/checkout-api:2.14.1": not found';
    const ctx = podContext(waiting('ErrImagePull', msg), {
      ...pending,
      podEvents: [event('Failed', 'Error: ErrImagePull', 'Warning', 3)],
    });
    const all = findings(waitingAlert('ErrImagePull'), ctx);
    expect(all[0]?.signatureId).toBe('image-not-found');
    expect(ids(all)).not.toContain('config-reference-missing');
  });
});

describe('volume-attached-elsewhere', () => {
  const pv = 'pvc-0f3c9a8e-5b1d-4c2e-9f7a-3d6b8e2c1a47';
  const multiAttach = `Multi-Attach error for volume "${pv}" Volume is already exclusively attached to one node and can't be attached to another`;
  const timedOut =
    'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data], failed to process volumes=[]: timed out waiting for the condition';
  const creating = (podEvents: ReturnType<typeof event>[]) =>
    podContext(waiting('ContainerCreating'), { ...pending, podEvents });

  it('a Multi-Attach error while the pod waits in ContainerCreating: alone at the top, quoting the event', () => {
    const ctx = creating([
      event('FailedAttachVolume', multiAttach),
      event('FailedMount', timedOut, 'Warning', 6),
    ]);
    const all = findings(notReady(), ctx);
    expect(ids(all)).toEqual(['volume-attached-elsewhere']);
    expect(all[0]?.confidence).toBe('high');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([
        `Warning FailedAttachVolume: ${multiAttach}`,
        `Warning FailedMount (x6): ${timedOut}`,
        'container checkout-api waiting: ContainerCreating',
      ]),
    );
    expect(all[0]?.summary).toContain(NODE);
    expectRealNames(all[0], { node: true, container: false });
  });

  it('remediation finds the holder, never deletes the claim, and fixes RollingUpdate with RWO', () => {
    const [top] = findings(notReady(), creating([event('FailedAttachVolume', multiAttach)]));
    const steps = top?.remediation.join('\n') ?? '';
    expect(steps).toContain('kubectl get volumeattachments');
    expect(steps).toContain(
      "kubectl get pod checkout-api-7d9f8c6b5-x2x7q -n payments -o jsonpath='{.spec.volumes[*].persistentVolumeClaim.claimName}'",
    );
    expect(steps).toContain('never the PVC or PV');
    expect(steps).toContain('kubectl patch deployment/checkout-api -n payments');
    expect(steps).toContain('"Recreate"');
  });

  it.each([
    `AttachVolume.Attach failed for volume "${pv}" : rpc error: code = Internal desc = Could not attach volume "vol-0a4f6c2d9e8b71353" to node "i-0d2f7a9c4e1b68357": could not attach volume "vol-0a4f6c2d9e8b71353" to node "i-0d2f7a9c4e1b68357": operation error EC2: AttachVolume, https response error StatusCode: 400, RequestID: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b, api error VolumeInUse: vol-0a4f6c2d9e8b71353 is already attached to an instance`,
    `AttachVolume.Attach failed for volume "${pv}" : rpc error: code = Internal desc = googleapi: Error 400: The disk resource 'projects/shop-prod/zones/europe-west1-b/disks/${pv}' is already being used by 'projects/shop-prod/zones/europe-west1-b/instances/gke-prod-pool-1-3c9a8e5b-x7k2'`,
  ])('the cloud refusing the attach says the same: %s', (msg) => {
    const [top] = findings(notReady(), creating([event('FailedAttachVolume', msg, 'Warning', 5)]));
    expect(top?.signatureId).toBe('volume-attached-elsewhere');
    expect(details(top)).toContain(`Warning FailedAttachVolume (x5): ${msg}`);
  });

  it('the event alone proves it when the pod status could not be read, one step less sure', () => {
    const ctx = creating([event('FailedAttachVolume', multiAttach)]);
    const [top] = findings(notReady(), { ...ctx, pod: unavailable('HTTP 500') });
    expect(top?.signatureId).toBe('volume-attached-elsewhere');
    expect(top?.confidence).toBe('medium');
  });

  it('a pod that runs by now is not diagnosed from an old Multi-Attach error', () => {
    const ctx = podContext(container(), { podEvents: [event('FailedAttachVolume', multiAttach)] });
    expect(findings(notReady(), ctx)).toEqual([]);
  });

  it('a mount that merely times out, with no attach error, is not a volume attached elsewhere', () => {
    expect(ids(findings(notReady(), creating([event('FailedMount', timedOut, 'Warning', 6)])))).not.toContain(
      'volume-attached-elsewhere',
    );
  });

  it('leaves a sandbox name "already in use" to sandbox-name-conflict', () => {
    const msg =
      'Failed create pod sandbox: rpc error: code = Unknown desc = failed to create a sandbox for pod "checkout-api-7d9f8c6b5-x2x7q": Error response from daemon: Conflict. The container name "/k8s_POD_checkout-api-7d9f8c6b5-x2x7q_payments_3f6d2b9e_0" is already in use by container "30aa3f58".';
    const all = findings(
      waitingAlert('ContainerCreating'),
      creating([event('FailedCreatePodSandBox', msg, 'Warning', 12)]),
    );
    expect(all[0]?.signatureId).toBe('sandbox-name-conflict');
    expect(ids(all)).not.toContain('volume-attached-elsewhere');
  });

  it('leaves a volume in the wrong zone to volume-zone-conflict', () => {
    const msg = '0/4 nodes are available: 4 node(s) had volume node affinity conflict.';
    const all = findings(notReady(), pendingContext(msg));
    expect(all[0]?.signatureId).toBe('volume-zone-conflict');
    expect(ids(all)).not.toContain('volume-attached-elsewhere');
  });
});

describe('the new signatures are safe to run on every alert', () => {
  const added = BUILT_IN_SIGNATURES.filter((s) =>
    ['config-reference-missing', 'volume-attached-elsewhere'].includes(s.id),
  );

  it.each(
    added.flatMap((s) =>
      [...s.all, ...(s.any ?? []), ...(s.none ?? []), ...(s.support ?? [])].flatMap((c) =>
        'pattern' in c ? [[s.id, c.pattern]] : [],
      ),
    ),
  )('%s pattern %s passes the screen custom patterns get', (_, pattern) => {
    expect(regexHazard(pattern)).toBeUndefined();
  });

  it('both are registered', () => {
    expect(added.map((s) => s.id)).toEqual(['config-reference-missing', 'volume-attached-elsewhere']);
  });
});
