// The probe signatures on plain contexts: why a probe timed out or was refused, with evidence and ranking.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { ContainerSnapshot, NodePortSnapshot, ProbeSpec } from '../../src/domain/context.js';
import { ok, unavailable } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import { alert, container, context, event, NODE, peer, pod } from '../support/contexts.js';
import {
  details,
  ids,
  killed,
  liveness,
  livenessKill,
  livenessRefused,
  livenessTimeout,
  nodeMetrics,
  readinessTimeout,
  steps,
} from '../support/network-fixtures.js';

const longRunning = killed(2 * 3600);

describe('probe-timeout-listen-backlog', () => {
  const ctx = (overrides: Record<string, number | null>) =>
    context({
      pod: ok(pod([longRunning])),
      podEvents: [livenessTimeout(), livenessKill()],
      metrics: ok(nodeMetrics(overrides)),
    });

  it('blames the listen queue when probes time out while the node counts listen overflows', () => {
    const findings = diagnose(
      alert(),
      ctx({ listenOverflowRate: 37.4, listenDropRate: 37.4 }),
      BUILT_IN_SIGNATURES,
    );
    const [top] = findings;
    expect(top?.signatureId).toBe('probe-timeout-listen-backlog');
    expect(top?.confidence).toBe('high');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Client.Timeout exceeded while awaiting headers'),
        `listen queue overflows (TcpExt ListenOverflows) on ${NODE}: 37.4/s over 5m`,
        'Normal Killing (x6): Container checkout-api failed liveness probe, will be restarted',
      ]),
    );
    expect(top?.summary).toContain(NODE);
    expect(top?.summary).toContain('payments/checkout-api-7d9f8c6b5-x2x7q');
    expect(steps(top)).toContain('sysctl -w net.core.somaxconn=32768 net.ipv4.tcp_max_syn_backlog=32768');
    expect(steps(top)).toContain('nstat -az TcpExtListenOverflows TcpExtListenDrops');
    expect(steps(top)).toContain('kubectl rollout restart deployment/checkout-api -n payments');
    expect(steps(top)).not.toMatch(/<(namespace|pod|container|workload|node)>/);
    expect(ids(findings).indexOf('liveness-probe-kill')).toBeGreaterThan(0);
  });

  it('accepts dropped SYNs alone as the listen evidence', () => {
    const [top] = diagnose(alert(), ctx({ listenDropRate: 5.2 }), BUILT_IN_SIGNATURES);
    expect(top?.signatureId).toBe('probe-timeout-listen-backlog');
  });

  it('does not match when the listen counters are flat: the kill is all there is to say', () => {
    const findings = diagnose(alert(), ctx({}), BUILT_IN_SIGNATURES);
    expect(findings[0]?.signatureId).toBe('liveness-probe-kill');
    expect(ids(findings)).not.toContain('probe-timeout-listen-backlog');
  });

  it('cannot be proven without Prometheus', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [livenessTimeout(), livenessKill()],
        metrics: unavailable('Prometheus: HTTP 503'),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(ids(findings)).not.toContain('probe-timeout-listen-backlog');
    expect(findings[0]?.signatureId).toBe('liveness-probe-kill');
  });
});

describe('probe-timeout-fd-exhaustion', () => {
  const log =
    '2026/11/23 08:31:38 http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 1s\n2026/11/23 08:31:40 registry: dial tcp 10.30.51.87:5432: socket: too many open files\n';

  it('names the open-file limit, and outranks the listen overflows it causes', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [livenessTimeout(), livenessKill()],
        previousLog: ok(log),
        metrics: ok(nodeMetrics({ listenOverflowRate: 4.1 })),
      }),
      BUILT_IN_SIGNATURES,
    );
    const [top] = findings;
    expect(top?.signatureId).toBe('probe-timeout-fd-exhaustion');
    expect(details(top)).toEqual(
      expect.arrayContaining([expect.stringContaining('socket: too many open files')]),
    );
    expect(steps(top)).toContain(
      'kubectl exec -n payments checkout-api-7d9f8c6b5-x2x7q -c checkout-api -- sh -c "ulimit -n; ls /proc/1/fd | wc -l"',
    );
    expect(steps(top)).toContain('LimitNOFILE=65535');
    expect(steps(top)).not.toContain('{{');
    expect(ids(findings).slice(0, 3)).toEqual([
      'probe-timeout-fd-exhaustion',
      'probe-timeout-listen-backlog',
      'liveness-probe-kill',
    ]);
  });

  it('also matches on a node whose kernel-wide file handles are nearly used up', () => {
    const [top] = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [livenessTimeout(), livenessKill()],
        metrics: ok(nodeMetrics({ filefdAllocated: 3_100_000, filefdMaximum: 3_247_692 })),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('probe-timeout-fd-exhaustion');
    expect(details(top)).toEqual(expect.arrayContaining([expect.stringContaining('(95.5%)')]));
  });
});

describe('probe-rst-port-range-overlap', () => {
  const customized: NodePortSnapshot[] = [
    { namespace: 'kube-system', name: 'kubernetes-dashboard', port: 443, nodePort: 36704 },
    { namespace: 'fe-node-online', name: 'bos-fe-xapi-node-online-2', port: 7071, nodePort: 28796 },
    { namespace: 'kube-system', name: 'traefik-ingress5', port: 443, nodePort: 20869 },
  ];
  const notReady = container({
    ready: false,
    restartCount: 0,
    running: { startedAt: '2026-11-22T10:00:00Z' },
  });

  it('points at the customized NodePort range when readiness probes fail intermittently', () => {
    const findings = diagnose(
      alert({ alertname: 'KubePodNotReady' }),
      context({
        pod: ok(pod([notReady])),
        podEvents: [readinessTimeout(37)],
        metrics: ok(nodeMetrics()),
        nodePorts: ok(customized),
      }),
      BUILT_IN_SIGNATURES,
    );
    const [top] = findings;
    expect(top?.signatureId).toBe('probe-rst-port-range-overlap');
    expect(top?.confidence).toBe('medium');
    expect(ids(findings)).not.toContain('probe-timeout-listen-backlog');
    expect(ids(findings)).not.toContain('probe-timeout-node-overload');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('3 NodePort(s) outside the default 30000-32767 range'),
        '1 NodePort(s) inside the Linux default ephemeral port range 32768-60999',
        'kube-system/kubernetes-dashboard 443→36704',
      ]),
    );
    expect(top?.summary).toContain('3 NodePort(s)');
    expect(steps(top)).toContain('kubectl get svc -A -o wide | grep NodePort');
    expect(steps(top)).toContain('sysctl -w net.ipv4.ip_local_reserved_ports=');
    expect(steps(top)).toContain('sysctl net.ipv4.ip_local_port_range');
  });

  it('matches resets as well as timeouts', () => {
    const reset = event(
      'Unhealthy',
      'Liveness probe failed: Get "http://10.20.5.17:8080/healthz": read tcp 10.20.5.1:36704->10.20.5.17:8080: read: connection reset by peer',
    );
    const findings = diagnose(
      alert({ alertname: 'KubePodNotReady' }),
      context({ pod: ok(pod([notReady])), podEvents: [reset], nodePorts: ok(customized) }),
      BUILT_IN_SIGNATURES,
    );
    expect(findings[0]?.signatureId).toBe('probe-rst-port-range-overlap');
  });

  it('stays silent when every NodePort is in the default range', () => {
    const findings = diagnose(
      alert({ alertname: 'KubePodNotReady' }),
      context({
        pod: ok(pod([notReady])),
        podEvents: [readinessTimeout()],
        nodePorts: ok([{ namespace: 'shop', name: 'storefront', port: 80, nodePort: 31380 }]),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(findings).toEqual([]);
  });

  it('ranks below node evidence, and above the liveness kill it explains (cause before mechanism)', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [livenessTimeout(), livenessKill()],
        metrics: ok(nodeMetrics({ listenOverflowRate: 12 })),
        nodePorts: ok(customized),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(ids(findings)).toEqual([
      'probe-timeout-listen-backlog',
      'probe-rst-port-range-overlap',
      'liveness-probe-kill',
    ]);
  });
});

describe('probe-timeout-node-overload', () => {
  it('blames the node when probes time out under heavy load per core', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [livenessTimeout(), livenessKill()],
        metrics: ok(nodeMetrics({ load1: 34.6, cpuCores: 8, iowaitRatio: 0.38 })),
        peers: [peer('pdf-worker-6d9f7c8b5-j2k4m', { ready: false, restarts: 4 })],
      }),
      BUILT_IN_SIGNATURES,
    );
    const [top] = findings;
    expect(top?.signatureId).toBe('probe-timeout-node-overload');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        `load on ${NODE}: 34.6 over 8 CPUs = 4.33 per core`,
        `CPU time in iowait on ${NODE}: 38.0% over 5m`,
        expect.stringContaining('shop/pdf-worker-6d9f7c8b5-j2k4m'),
      ]),
    );
    expect(steps(top)).toContain(`kubectl get pods -A -o wide --field-selector spec.nodeName=${NODE}`);
    expect(ids(findings)[1]).toBe('liveness-probe-kill');
  });

  it('accepts iowait alone', () => {
    const [top] = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [readinessTimeout()],
        metrics: ok(nodeMetrics({ iowaitRatio: 0.42 })),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('probe-timeout-node-overload');
  });
});

describe('probe-misconfigured-slow-start', () => {
  const starting =
    '2026-11-23T08:30:11.402Z  INFO 1 --- [main] c.e.ledger.LedgerServiceApplication : Starting LedgerServiceApplication v3.4.0 using Java 21.0.5\n2026-11-23T08:30:38.917Z  INFO 1 --- [main] o.f.core.internal.command.DbMigrate : Migrating schema "ledger" to version "412 - backfill entries"\n';

  it('names the missing startup probe when the container is killed during start-up', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([killed(52)])),
        podEvents: [livenessRefused(), livenessKill(8)],
        previousLog: ok(starting),
      }),
      BUILT_IN_SIGNATURES,
    );
    const [top] = findings;
    expect(top?.signatureId).toBe('probe-misconfigured-slow-start');
    expect(top?.summary).toContain('ran only 52s');
    expect(top?.summary).toContain('after 20s');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('has no startup probe'),
        expect.stringContaining('ran 52s'),
        expect.stringContaining('Migrating schema'),
      ]),
    );
    expect(steps(top)).toContain('startupProbe');
    expect(steps(top)).toContain('kubectl edit deployment/checkout-api -n payments');
    expect(ids(findings).slice(0, 3)).toEqual([
      'probe-misconfigured-slow-start',
      'probe-connection-refused',
      'liveness-probe-kill',
    ]);
  });

  it('does not match with a startup probe, after a long run, or once the server was listening', () => {
    const startup: ProbeSpec = { ...liveness, failureThreshold: 30 };
    const cases = [
      { c: killed(52, { startupProbe: startup }), log: starting },
      { c: killed(162), log: starting },
      { c: killed(52), log: `${starting}2026-11-23T08:30:50Z INFO listening on :8081\n` },
    ];
    for (const { c, log } of cases) {
      const findings = diagnose(
        alert(),
        context({ pod: ok(pod([c])), podEvents: [livenessRefused(), livenessKill(8)], previousLog: ok(log) }),
        BUILT_IN_SIGNATURES,
      );
      expect(ids(findings)).not.toContain('probe-misconfigured-slow-start');
    }
  });

  it('measures the kill against the probe settings, not a fixed time: a 5-minute delay, a 90 s run', () => {
    const slowDelay: ProbeSpec = { ...liveness, initialDelaySeconds: 300 };
    const diagnoseWith = (c: ContainerSnapshot) =>
      diagnose(
        alert(),
        context({
          pod: ok(pod([c])),
          podEvents: [livenessRefused(), livenessKill(8)],
          previousLog: ok(starting),
        }),
        BUILT_IN_SIGNATURES,
      );
    // 300 + 3 x 10 + 1 = 331 s: an instance killed at 340 s never got past its first liveness window.
    const [late] = diagnoseWith(killed(340, { livenessProbe: slowDelay }));
    expect(late?.signatureId).toBe('probe-misconfigured-slow-start');
    expect(details(late)).toEqual(
      expect.arrayContaining([expect.stringContaining('can first kill it after 331s')]),
    );
    // 20 + 30 + 1 = 51 s, plus 30 s of grace: a 90 s run had passed probes before it hung.
    expect(ids(diagnoseWith(killed(90)))).not.toContain('probe-misconfigured-slow-start');
    // With a 120 s grace period and a process that ignores SIGTERM, the kill lands up to 171 s after the start.
    const [graceful] = diagnose(
      alert(),
      context({
        pod: ok({ ...pod([killed(150)]), terminationGracePeriodSeconds: 120 }),
        podEvents: [livenessRefused(), livenessKill(8)],
        previousLog: ok(starting),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(graceful?.signatureId).toBe('probe-misconfigured-slow-start');
    expect(details(graceful)).toEqual(
      expect.arrayContaining([expect.stringContaining('plus up to 120s of termination grace')]),
    );
  });
});

describe('probe-connection-refused', () => {
  it('says nothing listens on the probed port when the server opened another one', () => {
    const [top] = diagnose(
      alert(),
      context({
        pod: ok(pod([killed(45, { lastTerminated: { exitCode: 143, reason: 'Error' } })])),
        podEvents: [livenessRefused(), livenessKill(5)],
        previousLog: ok('{"level":"info","msg":"listening on :9090"}\n'),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('probe-connection-refused');
    expect(details(top)).toEqual(
      expect.arrayContaining([expect.stringContaining('connect: connection refused')]),
    );
    expect(steps(top)).toContain(
      `kubectl get pod checkout-api-7d9f8c6b5-x2x7q -n payments -o jsonpath='{.spec.containers[?(@.name=="checkout-api")].livenessProbe}'`,
    );
  });

  it('is not the cause when the application exited on its own', () => {
    const crashed = container({ restartCount: 4, lastTerminated: { exitCode: 1, reason: 'Error' } });
    const findings = diagnose(
      alert(),
      context({ pod: ok(pod([crashed])), podEvents: [livenessRefused()] }),
      BUILT_IN_SIGNATURES,
    );
    expect(ids(findings)).not.toContain('probe-connection-refused');
  });
});
