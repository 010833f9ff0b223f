// Issue 14: images for another architecture, registry denials that cannot tell missing from private, loopback
// listeners, a liveness kill answered with exit 0, and nodes NotReady because their CNI never initialised.
import { describe, expect, it } from 'vitest';
import type { ContainerSnapshot } from '../../src/domain/context.js';
import { ok } from '../../src/domain/context.js';
import { extractFacts } from '../../src/domain/facts.js';
import { crashed, details, expectRealNames, findings, ids, podContext } from '../support/catalog-fixtures.js';
import { alert, container, event, NODE, node } from '../support/contexts.js';
import {
  killed,
  livenessKill,
  livenessRefused,
  nodeAlert,
  nodeContext,
} from '../support/network-fixtures.js';

const waitingAlert = (reason: string) => alert({ alertname: 'KubeContainerWaiting', reason });
const pulling = (image: string, failure: string) =>
  podContext(
    container({
      image,
      ready: false,
      waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
    }),
    {
      podEvents: [
        event('Failed', failure, 'Warning', 6),
        event('BackOff', `Back-off pulling image "${image}"`, 'Normal', 40),
      ],
    },
  );

describe('image-platform-mismatch', () => {
  it.each([
    'Failed to pull image "ghcr.io/kubewarden/kubewarden-controller:latest": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/kubewarden/kubewarden-controller:latest": no match for platform in manifest: not found',
    'Failed to pull image "public.ecr.aws/bitnami/redis-cluster:6.2.14": rpc error: code = Unknown desc = Error response from daemon: no matching manifest for linux/arm64/v8 in the manifest list entries: no match for platform in manifest: not found',
    'Failed to pull image "quay.io/openshift/origin-must-gather": choosing an image from manifest list docker://quay.io/openshift/origin-must-gather:latest: no image found in manifest list for architecture "arm64", variant "v8", OS "linux"',
  ])('a manifest list without the node platform is not a missing image: %s', (failure) => {
    const all = findings(
      waitingAlert('ImagePullBackOff'),
      pulling('registry.example.com/payments/checkout-api:2.14.1', failure),
    );
    expect(all[0]?.signatureId).toBe('image-platform-mismatch');
    expect(ids(all)).not.toContain('image-not-found');
    expect(all[0]?.remediation.join('\n')).toMatch(/crane manifest .*docker manifest inspect/);
    expectRealNames(all[0], { node: true });
  });

  it('a binary the kernel refuses with exec format error names the architecture, not the execute bit', () => {
    const ctx = podContext(crashed({ exitCode: 1 }), {
      previousLog: ok('standard_init_linux.go:207: exec user process caused "exec format error"'),
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('image-platform-mismatch');
    expect(ids(all)).not.toContain('command-not-executable');
    expect(all[0]?.remediation.join('\n')).toContain(
      'docker buildx build --platform linux/amd64,linux/arm64',
    );
  });
});

describe('registry denials that mean "missing" and "private" alike', () => {
  const denied = (image: string, repo: string) =>
    `Failed to pull image "${image}": rpc error: code = Unknown desc = Error response from daemon: pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;

  it('on a user repository: unauthorized only at medium, naming image-not-found and how to tell them apart first', () => {
    const [top] = findings(
      waitingAlert('ImagePullBackOff'),
      pulling('praqma/jira:8.4.2', denied('praqma/jira:8.4.2', 'praqma/jira')),
    );
    expect(top?.signatureId).toBe('image-pull-unauthorized');
    expect(top?.confidence).toBe('medium');
    expect(top?.summary).toContain('(image-not-found)');
    expect(top?.remediation[0]).toContain('crane ls docker.io/praqma/jira');
    expect(top?.remediation[0]).toContain('anonymous pull of the exact tag');
  });

  it('a clear 401 stays high and needs no telling apart', () => {
    const failure =
      'Failed to pull image "registry.example.com/payments/checkout-api:2.14.1": rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve reference: unexpected status from HEAD request: 401 Unauthorized';
    const [top] = findings(
      waitingAlert('ImagePullBackOff'),
      pulling('registry.example.com/payments/checkout-api:2.14.1', failure),
    );
    expect(top?.signatureId).toBe('image-pull-unauthorized');
    expect(top?.confidence).toBe('high');
    expect(top?.remediation[0]).not.toContain('crane ls');
  });

  it("in Docker Hub's public library namespace the repository can only be missing", () => {
    const all = findings(
      waitingAlert('ImagePullBackOff'),
      pulling('rmeuser-auth:latest', denied('rmeuser-auth:latest', 'rmeuser-auth')),
    );
    expect(all[0]?.signatureId).toBe('image-not-found');
    expect(ids(all)).not.toContain('image-pull-unauthorized');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([
        expect.stringContaining("library/ namespace holds only Docker's official images"),
      ]),
    );
    expect(all[0]?.remediation.join('\n')).toContain('kind load docker-image rmeuser-auth:latest');
  });
});

describe('a listener bound to loopback is refused for the whole run, not a slow start', () => {
  const refusedKill = (c: ContainerSnapshot, log = '') =>
    podContext(c, { podEvents: [livenessRefused(), livenessKill()], previousLog: ok(log) });

  it('killed at the first chance with refused probes and nothing else is still a slow start', () => {
    const [top] = findings(alert(), refusedKill(killed(45)));
    expect(top?.signatureId).toBe('probe-misconfigured-slow-start');
  });

  it.each([
    [
      '--web.listen-address=127.0.0.1:8080 in the args',
      { launch: ['/kepler', '--web.listen-address=127.0.0.1:8080'] },
      '',
    ],
    ['a HOST env entry', { launch: ['HOST=127.0.0.1'] }, ''],
    ['a start-up line', {}, 'starting app\n * Running on http://127.0.0.1:8080/ (Press CTRL+C to quit)'],
  ])('refused for good when the container listens on loopback (%s)', (_, overrides, log) => {
    const all = findings(alert(), refusedKill(killed(45, overrides), log));
    expect(all[0]?.signatureId).toBe('probe-connection-refused');
    expect(ids(all)).not.toContain('probe-misconfigured-slow-start');
    expect(details(all[0])).toEqual(expect.arrayContaining([expect.stringContaining('loopback')]));
  });

  it('a loopback listener on another port than the probed one proves nothing', () => {
    const ctx = refusedKill(killed(45, { launch: ['--admin-bind=127.0.0.1:9901'] }));
    expect(extractFacts(alert(), ctx).has('container.listensOnLoopback')).toBe(false);
  });
});

describe('the kubelet kill events outrank an exit code of 0', () => {
  const graceful = (c: ContainerSnapshot) =>
    killed(300, { ...c, lastTerminated: { ...c.lastTerminated, exitCode: 0, reason: 'Completed' } });

  it('exit 0 after a liveness kill is liveness-probe-kill, not a finished task', () => {
    const answered = event(
      'Unhealthy',
      'Liveness probe failed: HTTP probe failed with statuscode: 404',
      'Warning',
      13,
    );
    const ctx = podContext(graceful(killed(300)), { podEvents: [answered, livenessKill()] });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('liveness-probe-kill');
    expect(ids(all)).not.toContain('clean-exit-restart-loop');
  });

  it('exit 0 after a liveness kill on refused probes is probe-connection-refused', () => {
    const ctx = podContext(graceful(killed(300)), { podEvents: [livenessRefused(), livenessKill()] });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('probe-connection-refused');
    expect(ids(all)).not.toContain('clean-exit-restart-loop');
  });

  it('exit 0 with no kill in the events is still a finished task', () => {
    const ctx = podContext(graceful(killed(300)), { podEvents: [] });
    expect(findings(alert(), ctx)[0]?.signatureId).toBe('clean-exit-restart-loop');
  });
});

describe('a node NotReady because its CNI never initialised is cni-failure, not node-not-ready', () => {
  it.each([
    'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    'runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized',
    'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration file in /etc/cni/net.d/. Has your network provider started?',
  ])('%s', (message) => {
    const notReady = node({ Ready: 'False' });
    const ctx = nodeContext({
      node: {
        ...notReady,
        conditions: notReady.conditions.map((c) =>
          c.type === 'Ready' ? { ...c, reason: 'KubeletNotReady', message } : c,
        ),
      },
    });
    const all = findings(nodeAlert('KubeNodeNotReady'), ctx);
    expect(all[0]?.signatureId).toBe('cni-failure');
    expect(all[0]?.confidence).toBe('high');
    expect(ids(all)).toContain('node-not-ready');
    expect(all[0]?.summary).toContain('any new pod (all namespaces)');
    expect(all[0]?.remediation.join('\n')).not.toMatch(/<(namespace|pod|container|node|workload)>/);
    expect(all[0]?.remediation.join('\n')).toContain(
      `systemctl restart containerd\` (or \`crio\`) on ${NODE}`,
    );
  });
});
