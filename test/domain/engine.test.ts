// The signature engine on plain objects: the three built-in signatures, exclusions, ranking and unavailable evidence.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { ok, unavailable } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import { renderTemplate } from '../../src/domain/remediation.js';
import type { Signature } from '../../src/domain/signature.js';
import { alert, container, context, event, NODE, peer, pod } from '../support/contexts.js';

const oomKilled = container({
  ready: false,
  restartCount: 9,
  waiting: { reason: 'CrashLoopBackOff' },
  lastTerminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-11-23T08:34:29.000Z' },
  memoryLimit: '512Mi',
  memoryLimitBytes: 536870912,
});

describe('container-oom-killed', () => {
  it('diagnoses an OOMKilled container and quotes the termination and the memory headroom', () => {
    const ctx = context({
      pod: ok(pod([oomKilled])),
      metrics: ok({
        conntrackEntries: 8000,
        conntrackLimit: 262144,
        workingSetBytes: 533725184,
        memoryLimitBytes: 536870912,
      }),
    });
    const [top] = diagnose(alert(), ctx, BUILT_IN_SIGNATURES);
    expect(top?.signatureId).toBe('container-oom-killed');
    expect(top?.confidence).toBe('high');
    expect(top?.evidence.map((e) => e.detail)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('exit code 137 (reason OOMKilled)'),
        expect.stringContaining('memory limit 512Mi'),
        expect.stringContaining('509MiB of the 512MiB limit (99.4%)'),
      ]),
    );
    expect(top?.summary).toContain('payments/checkout-api-7d9f8c6b5-x2x7q');
    expect(top?.summary).toContain('512Mi');
    expect(top?.remediation.join('\n')).toContain(
      'kubectl set resources deployment/checkout-api -n payments -c checkout-api',
    );
    expect(top?.remediation.join('\n')).not.toMatch(/<(namespace|pod|container|workload)>/);
  });

  it('does not call exit 137 without OOMKilled an OOM kill', () => {
    const killed = container({ lastTerminated: { exitCode: 137, reason: 'Error' }, restartCount: 4 });
    const findings = diagnose(alert(), context({ pod: ok(pod([killed])) }), BUILT_IN_SIGNATURES);
    expect(findings.map((f) => f.signatureId)).not.toContain('container-oom-killed');
  });
});

describe('liveness-probe-kill', () => {
  const probeKilled = container({
    ready: false,
    restartCount: 6,
    lastTerminated: { exitCode: 137, reason: 'Error' },
  });
  const events = [
    event(
      'Unhealthy',
      'Liveness probe failed: Get "http://10.20.5.17:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      'Warning',
      18,
    ),
    event('Killing', 'Container checkout-api failed liveness probe, will be restarted', 'Normal', 6),
  ];

  it('names the liveness probe when the kubelet killed the container for it', () => {
    const [top] = diagnose(
      alert(),
      context({ pod: ok(pod([probeKilled])), podEvents: events }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('liveness-probe-kill');
    expect(top?.evidence.map((e) => e.detail)).toEqual(
      expect.arrayContaining([
        'Normal Killing (x6): Container checkout-api failed liveness probe, will be restarted',
        expect.stringContaining('Client.Timeout exceeded while awaiting headers'),
      ]),
    );
  });

  it('is excluded when the container was OOMKilled, even with probe failures around', () => {
    const findings = diagnose(
      alert(),
      context({ pod: ok(pod([oomKilled])), podEvents: events }),
      BUILT_IN_SIGNATURES,
    );
    expect(findings[0]?.signatureId).toBe('container-oom-killed');
    expect(findings.map((f) => f.signatureId)).not.toContain('liveness-probe-kill');
  });

  it('needs the kill event: probe failures alone do not prove a liveness kill', () => {
    const findings = diagnose(
      alert(),
      context({ pod: ok(pod([probeKilled])), podEvents: [events[0]!] }),
      BUILT_IN_SIGNATURES,
    );
    expect(findings).toEqual([]);
  });
});

describe('conntrack-table-full', () => {
  const crashing = container({
    ready: false,
    restartCount: 5,
    lastTerminated: { exitCode: 1, reason: 'Error' },
  });
  const metrics = ok({ conntrackEntries: 130900, conntrackLimit: 131072, conntrackDropRate: 42.5 });

  it('names the node and the other failing pods when the table is full', () => {
    const ctx = context({
      pod: ok(pod([crashing])),
      metrics,
      peers: [
        peer('cart-6b9c8d7f5-9wz2t', { ready: false, restarts: 7, waitingReason: 'CrashLoopBackOff' }),
        peer('healthy-1'),
      ],
      previousLog: ok('starting\ndial tcp: lookup kube-apiserver on 172.20.0.10:53: no such host\n'),
    });
    const [top] = diagnose(alert(), ctx, BUILT_IN_SIGNATURES);
    expect(top?.signatureId).toBe('conntrack-table-full');
    expect(top?.summary).toContain(NODE);
    expect(top?.summary).toContain('99.9%');
    const details = top?.evidence.map((e) => e.detail) ?? [];
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringContaining('130,900 of 131,072'),
        expect.stringContaining('shop/cart-6b9c8d7f5-9wz2t'),
        expect.stringContaining('no such host'),
      ]),
    );
    expect(top?.remediation.join('\n')).toContain(`kubectl cordon ${NODE}`);
    expect(top?.correlation).toEqual({ node: NODE, affectedPods: ['shop/cart-6b9c8d7f5-9wz2t'] });
  });

  it('applies to node alerts that name the node in instance', () => {
    const ctx = context({
      target: { kind: 'node', node: NODE },
      pod: { status: 'skipped', reason: 'not a pod alert' },
      metrics,
    });
    const [top] = diagnose(
      alert({ alertname: 'NodeHighNumberConntrackEntriesUsed', namespace: 'monitoring' }),
      ctx,
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('conntrack-table-full');
  });

  it('says nothing when Prometheus is unreachable: the decisive metric cannot be invented', () => {
    const ctx = context({ pod: ok(pod([crashing])), metrics: unavailable('Prometheus: HTTP 503') });
    expect(diagnose(alert(), ctx, BUILT_IN_SIGNATURES).map((f) => f.signatureId)).not.toContain(
      'conntrack-table-full',
    );
  });

  it('outranks a liveness kill on the same pod when the node evidence is there', () => {
    const killed = container({ restartCount: 6, lastTerminated: { exitCode: 137, reason: 'Error' } });
    const ctx = context({
      pod: ok(pod([killed])),
      metrics,
      podEvents: [
        event('Killing', 'Container checkout-api failed liveness probe, will be restarted', 'Normal', 6),
      ],
    });
    const ids = diagnose(alert(), ctx, BUILT_IN_SIGNATURES).map((f) => f.signatureId);
    expect(ids).toEqual(['conntrack-table-full', 'liveness-probe-kill']);
  });
  it('leads with a specific cause of medium confidence over a certain generic mechanism, and names the mechanism', () => {
    const cause: Signature = {
      id: 'port-range-cause',
      title: 'Probes reset: NodePorts overlap the ephemeral range',
      targets: ['pod'],
      all: [{ fact: 'container.restartCount', op: 'gte', value: 1 }],
      confidence: 'medium',
      specificity: 70,
      summary: 'cause',
      remediation: [],
    };
    const mechanism: Signature = {
      ...cause,
      id: 'killed-by-probe',
      title: 'Killed by its liveness probe',
      confidence: 'high',
      specificity: 60,
      mechanism: true,
    };
    const ctx = context({ pod: ok(pod([container({ restartCount: 3 })])) });
    const findings = diagnose(alert(), ctx, [mechanism, cause]);
    expect(findings.map((f) => [f.signatureId, f.confidence])).toEqual([
      ['port-range-cause', 'medium'],
      ['killed-by-probe', 'high'],
    ]);
    expect(findings[0]?.shownAs).toEqual(['Killed by its liveness probe']);
    // A mechanism alone still answers, and says nothing about causes it does not have.
    const alone = diagnose(alert(), ctx, [mechanism]);
    expect(alone.map((f) => f.signatureId)).toEqual(['killed-by-probe']);
    expect(alone[0]?.shownAs).toBeUndefined();
  });
});

describe('engine rules', () => {
  const custom: Signature = {
    id: 'custom-metric',
    title: 'custom',
    targets: ['pod'],
    all: [
      { fact: 'container.restartCount', op: 'gte', value: 1 },
      { fact: 'metrics.conntrackRatio', op: 'gte', value: 0.5, orUnknown: true },
    ],
    confidence: 'high',
    specificity: 10,
    summary: 'restarts on {{node}}',
    remediation: ['look at {{missing.fact}}'],
  };

  it('lowers confidence and says what it could not check when an orUnknown piece is unavailable', () => {
    const ctx = context({
      pod: ok(pod([container({ restartCount: 2 })])),
      metrics: unavailable('Prometheus: timed out after 3000 ms'),
    });
    const [top] = diagnose(alert(), ctx, [custom]);
    expect(top?.confidence).toBe('medium');
    expect(top?.unchecked).toEqual(['Prometheus unavailable: Prometheus: timed out after 3000 ms']);
    expect(top?.remediation).toEqual(['look at <missing.fact>']);
  });

  it('never matches on unknowns alone', () => {
    const onlyUnknown: Signature = {
      ...custom,
      all: [{ fact: 'metrics.conntrackRatio', op: 'gte', value: 0.5, orUnknown: true }],
    };
    const ctx = context({ metrics: unavailable('down') });
    expect(diagnose(alert(), ctx, [onlyUnknown])).toEqual([]);
  });

  it('respects the alert names a signature applies to', () => {
    const narrowed: Signature = { ...custom, all: [custom.all[0]!], alerts: ['KubePodNotReady'] };
    const ctx = context({ pod: ok(pod([container({ restartCount: 2 })])) });
    expect(diagnose(alert(), ctx, [narrowed])).toEqual([]);
    expect(diagnose(alert({ alertname: 'KubePodNotReady' }), ctx, [narrowed])).toHaveLength(1);
  });

  it('finds nothing for a healthy pod', () => {
    expect(diagnose(alert({ alertname: 'KubePodNotReady' }), context(), BUILT_IN_SIGNATURES)).toEqual([]);
  });
});

describe('templates', () => {
  it('fill a known fact, fall back to the given text, else show the name to fill in', () => {
    const vars = { 'container.livenessUrl': 'http://127.0.0.1:8080/healthz' };
    expect(renderTemplate('wget {{container.livenessUrl|http://127.0.0.1:<port>/<path>}}', vars)).toBe(
      'wget http://127.0.0.1:8080/healthz',
    );
    expect(
      renderTemplate('wget {{ container.livenessUrl | http://127.0.0.1:<port>/<path>}} -T {{x|1}}', {}),
    ).toBe('wget  http://127.0.0.1:<port>/<path> -T 1');
    expect(renderTemplate('{{pod}} of {{namespace}}', { pod: 'web-0' })).toBe('web-0 of <namespace>');
  });

  it('liveness-probe-kill tells the engineer the probe URL and timeout from the pod spec', () => {
    const probe = {
      kind: 'httpGet' as const,
      port: '8080',
      path: '/healthz',
      initialDelaySeconds: 15,
      timeoutSeconds: 2,
      periodSeconds: 10,
      failureThreshold: 3,
    };
    const killedByProbe = container({
      restartCount: 4,
      livenessProbe: probe,
      lastTerminated: {
        exitCode: 137,
        reason: 'Error',
        startedAt: '2026-11-23T08:00:00Z',
        finishedAt: '2026-11-23T08:20:00Z',
      },
    });
    const [top] = diagnose(
      alert(),
      context({
        pod: ok(pod([killedByProbe])),
        podEvents: [
          event('Killing', 'Container checkout-api failed liveness probe, will be restarted', 'Normal', 4),
        ],
      }),
      BUILT_IN_SIGNATURES,
    );
    expect(top?.signatureId).toBe('liveness-probe-kill');
    expect(top?.remediation.join('\n')).toContain('wget -qO- -T 2 http://127.0.0.1:8080/healthz');
  });
});
