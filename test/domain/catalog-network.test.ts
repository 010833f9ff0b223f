// Conntrack, DNS and kube-proxy signatures on plain contexts, and how node evidence outranks generic findings.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { ok } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import { alert, container, context, event, NODE, pod } from '../support/contexts.js';
import {
  details,
  ids,
  killed,
  livenessKill,
  livenessTimeout,
  nodeMetrics,
  steps,
} from '../support/network-fixtures.js';

const longRunning = killed(2 * 3600);

describe('DNS', () => {
  const crashed = container({ restartCount: 5, lastTerminated: { exitCode: 1, reason: 'Error' } });
  const noSuchHost =
    'starting payout-sync\nFATAL: dial tcp: lookup ledger-db.treasury-data.svc.cluster.local on 172.20.0.10:53: no such host\n';
  const timeouts =
    'WARN upstream fx-rates call took 5.012s (dns 5.004s)\nERROR dial tcp: lookup fx-rates.pricing.svc.cluster.local on 172.20.0.10:53: read udp 10.30.57.44:39211->172.20.0.10:53: i/o timeout\n';

  it('dns-resolution-failure quotes the failed lookup', () => {
    const [top] = diagnose(
      alert(),
      context({ pod: ok(pod([crashed])), previousLog: ok(noSuchHost), metrics: ok(nodeMetrics()) }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('dns-resolution-failure');
    expect(details(top)).toEqual([expect.stringContaining('no such host')]);
    expect(steps(top)).toContain('kubectl debug -n payments checkout-api-7d9f8c6b5-x2x7q');
  });

  it('drops to medium and says so when Prometheus is down and conntrack cannot be ruled out', () => {
    const [top] = diagnose(
      alert(),
      context({
        pod: ok(pod([crashed])),
        previousLog: ok(noSuchHost),
        metrics: { status: 'unavailable', reason: 'Prometheus answered 503' },
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('dns-resolution-failure');
    expect(top?.confidence).toBe('medium');
    expect(top?.unchecked).toEqual([expect.stringMatching(/^could not rule out metrics\.conntrack.*503/)]);
  });

  it('gives way to conntrack-table-full when the node table is full', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([crashed])),
        previousLog: ok(noSuchHost),
        metrics: ok(nodeMetrics({ conntrackEntries: 254000, conntrackLimit: 262144, conntrackDropRate: 31 })),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(findings[0]?.signatureId).toBe('conntrack-table-full');
    expect(ids(findings)).not.toContain('dns-resolution-failure');
    expect(details(findings[0])).toEqual(expect.arrayContaining([expect.stringContaining('no such host')]));
  });

  it('dns-5s-latency-conntrack-race needs conntrack insert failures and outranks the generic DNS finding', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([crashed])),
        previousLog: ok(timeouts),
        metrics: ok(nodeMetrics({ conntrackInsertFailedRate: 14.2 })),
      }),
      BUILT_IN_SIGNATURES,
    );
    const [top] = findings;
    expect(ids(findings).slice(0, 2)).toEqual(['dns-5s-latency-conntrack-race', 'dns-resolution-failure']);
    expect(top?.summary).toContain('14.2 conntrack insert failures/s');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('i/o timeout'),
        `conntrack insert failures (node_nf_conntrack_stat_insert_failed) on ${NODE}: 14.2/s over 5m`,
      ]),
    );
    expect(steps(top)).toContain('single-request-reopen');
    expect(steps(top)).toContain('NodeLocal DNSCache');

    const quiet = diagnose(
      alert(),
      context({ pod: ok(pod([crashed])), previousLog: ok(timeouts), metrics: ok(nodeMetrics()) }),
      BUILT_IN_SIGNATURES,
    );
    expect(quiet[0]?.signatureId).toBe('dns-resolution-failure');
  });
});

describe('kube-proxy', () => {
  const proxy = container({
    name: 'kube-proxy',
    image: 'registry.k8s.io/kube-proxy:v1.18.20',
    restartCount: 9,
    lastTerminated: { exitCode: 1, reason: 'Error' },
  });
  const target = {
    kind: 'pod' as const,
    namespace: 'kube-system',
    pod: 'kube-proxy-8hx2c',
    container: 'kube-proxy',
  };
  const labels = { namespace: 'kube-system', pod: 'kube-proxy-8hx2c', container: 'kube-proxy' };

  it('kube-proxy-iptables-mismatch quotes the missing KUBE-MARK-DROP chain', () => {
    const log =
      "E1123 08:33:02.402118       1 proxier.go:1507] Failed to execute iptables-restore: exit status 2 (iptables-restore v1.8.4 (legacy): Couldn't load target `KUBE-MARK-DROP':No such file or directory\n";
    const [top] = diagnose(
      alert(labels),
      context({ target, pod: ok(pod([proxy])), previousLog: ok(log) }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('kube-proxy-iptables-mismatch');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Couldn't load target `KUBE-MARK-DROP'"),
        'container kube-proxy image registry.k8s.io/kube-proxy:v1.18.20',
      ]),
    );
    expect(steps(top)).toContain('iptables-nft-save | grep -c KUBE-MARK-DROP');
  });

  it('kube-proxy-xtables-lock outranks the liveness kill it leads to', () => {
    const log =
      'E1123 08:36:14.552190       1 proxier.go:1400] Failed to execute iptables-restore: exit status 4 (Another app is currently holding the xtables lock. Perhaps you want to use the -w option?)\n';
    const findings = diagnose(
      alert(labels),
      context({
        target,
        pod: ok({
          ...pod([{ ...proxy, lastTerminated: { exitCode: 137, reason: 'Error' } }]),
          namespace: 'kube-system',
          name: 'kube-proxy-8hx2c',
        }),
        previousLog: ok(log),
        podEvents: [
          event('Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 503', 'Warning', 12),
          event('Killing', 'Container kube-proxy failed liveness probe, will be restarted', 'Normal', 4),
        ],
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(ids(findings).slice(0, 2)).toEqual(['kube-proxy-xtables-lock', 'liveness-probe-kill']);
    expect(steps(findings[0])).toContain(`fuser -v /run/xtables.lock`);
    expect(steps(findings[0])).toContain('kubectl get pod kube-proxy-8hx2c -n kube-system -o yaml');
  });
});

describe('node evidence outranks generic findings', () => {
  it('conntrack-table-full ranks above liveness-probe-kill and DNS failures on the same pod', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [livenessTimeout(), livenessKill()],
        previousLog: ok('lookup orders-db.shop.svc.cluster.local on 172.20.0.10:53: no such host\n'),
        metrics: ok(
          nodeMetrics({ conntrackEntries: 130900, conntrackLimit: 131072, conntrackDropRate: 42.5 }),
        ),
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(findings[0]?.signatureId).toBe('conntrack-table-full');
    expect(ids(findings)).toContain('liveness-probe-kill');
    expect(ids(findings)).not.toContain('dns-resolution-failure');
  });

  it('probe-timeout-listen-backlog ranks above liveness-probe-kill and dns-resolution-failure', () => {
    const findings = diagnose(
      alert(),
      context({
        pod: ok(pod([longRunning])),
        podEvents: [livenessTimeout(), livenessKill()],
        previousLog: ok('lookup orders-db.shop.svc.cluster.local on 172.20.0.10:53: no such host\n'),
        metrics: ok(nodeMetrics({ listenOverflowRate: 20 })),
      }),
      BUILT_IN_SIGNATURES,
    );
    const order = ids(findings);
    expect(order[0]).toBe('probe-timeout-listen-backlog');
    // Every cause ranks above the liveness kill, the mechanism they would show through.
    expect(order.indexOf('dns-resolution-failure')).toBeGreaterThan(0);
    expect(order.at(-1)).toBe('liveness-probe-kill');
    expect(findings[0]?.shownAs).toEqual([findings.at(-1)?.title]);
  });
});
