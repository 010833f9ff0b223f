// Silence matchers never reach past the alert's subject; precision counts; what a re-run says changed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silenceMatchers } from '../../src/domain/actions.js';
import type { Incident } from '../../src/domain/incident.js';
import { rerunChanges } from '../../src/domain/rerun-diff.js';
import type { Finding } from '../../src/domain/signature.js';
import { resolveTarget } from '../../src/domain/subject.js';
import { signatureStats } from '../../src/domain/verdict-stats.js';
import { runs } from '../support/fuzz.js';

const names = (labels: Record<string, string>) =>
  silenceMatchers(labels, resolveTarget(labels)).map((m) => `${m.name}=${m.value}`);

describe('silenceMatchers', () => {
  it('pod alert: alertname, namespace and pod, exact', () => {
    const labels = {
      alertname: 'KubePodCrashLooping',
      namespace: 'payments',
      pod: 'api-1',
      container: 'api',
      job: 'kube-state-metrics',
      severity: 'warning',
    };
    expect(names(labels)).toEqual(['alertname=KubePodCrashLooping', 'namespace=payments', 'pod=api-1']);
  });

  it('node alert: alertname and the node label (or instance for node-exporter)', () => {
    expect(names({ alertname: 'KubeNodeNotReady', node: 'ip-10-0-0-1', job: 'kube-state-metrics' })).toEqual([
      'alertname=KubeNodeNotReady',
      'node=ip-10-0-0-1',
    ]);
    expect(
      names({
        alertname: 'NodeFilesystemAlmostOutOfSpace',
        instance: 'ip-10-0-0-2',
        job: 'node-exporter',
        namespace: 'monitoring',
        pod: 'node-exporter-abcde',
        mountpoint: '/',
      }),
    ).toEqual(['alertname=NodeFilesystemAlmostOutOfSpace', 'instance=ip-10-0-0-2']);
  });

  it('workload alert: alertname, namespace and the workload label', () => {
    expect(
      names({
        alertname: 'KubeDeploymentReplicasMismatch',
        namespace: 'shop',
        deployment: 'web',
        job: 'kube-state-metrics',
      }),
    ).toEqual(['alertname=KubeDeploymentReplicasMismatch', 'namespace=shop', 'deployment=web']);
  });

  it('an alert with no subject label is matched on all its labels, so it silences exactly itself', () => {
    expect(names({ alertname: 'KubeCPUOvercommit', severity: 'warning' })).toEqual([
      'alertname=KubeCPUOvercommit',
      'severity=warning',
    ]);
  });

  it('for any label set: exact, non-regex matchers taken from the alert itself, alertname always among them', () => {
    const label = fc.constantFrom(
      'alertname',
      'namespace',
      'pod',
      'node',
      'instance',
      'job',
      'deployment',
      'container',
      'severity',
      'persistentvolumeclaim',
      'x',
    );
    const value = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/);
    fc.assert(
      fc.property(fc.dictionary(label, value), value, (labels, alertname) => {
        const all: Record<string, string> = { ...labels, alertname };
        const matchers = silenceMatchers(all, resolveTarget(all));
        expect(matchers.length).toBeGreaterThanOrEqual(1);
        expect(matchers.some((m) => m.name === 'alertname' && m.value === alertname)).toBe(true);
        for (const m of matchers) {
          expect(m.isRegex).toBe(false);
          expect(m.isEqual).toBe(true);
          expect(all[m.name]).toBe(m.value);
        }
        // A subject named by the alert is always pinned: a silence never covers every pod or node of the name.
        if (all.pod && all.namespace && resolveTarget(all).kind === 'pod')
          expect(matchers.map((m) => m.name)).toContain('pod');
      }),
      { numRuns: runs(2000) },
    );
  });
});

const finding = (signatureId: string, evidence: string[] = []): Finding => ({
  signatureId,
  title: signatureId,
  confidence: 'high',
  summary: '',
  evidence: evidence.map((detail) => ({ source: 'pod', detail }) as unknown as Finding['evidence'][number]),
  remediation: [],
});

describe('signatureStats', () => {
  const incident = (sig: string | undefined, alertname: string, verdict?: 'right' | 'wrong') =>
    ({
      alertname,
      findings: sig ? [finding(sig)] : [],
      ...(verdict ? { verdict: { verdict, by: 'U1', at: '2026-12-03T00:00:00Z' } } : {}),
    }) as unknown as Incident;

  it('counts incidents led, right, wrong and precision per signature and per alert name', () => {
    const stats = signatureStats(
      [
        incident('oom', 'A', 'right'),
        incident('oom', 'A', 'wrong'),
        incident('oom', 'B', 'right'),
        incident('probe', 'B'),
        incident(undefined, 'C', 'wrong'),
      ],
      { since: 's', until: 'u', partial: false },
    );
    expect(stats.bySignature).toEqual([
      { key: 'oom', incidents: 3, right: 2, wrong: 1, precision: 0.667 },
      { key: '(none)', incidents: 1, right: 0, wrong: 1, precision: 0 },
      { key: 'probe', incidents: 1, right: 0, wrong: 0, precision: null },
    ]);
    expect(stats.byAlertname.map((c) => [c.key, c.incidents, c.precision])).toEqual([
      ['A', 2, 0.5],
      ['B', 2, 1],
      ['C', 1, 0],
    ]);
  });
});

describe('rerunChanges', () => {
  it('says the diagnosis is the same and lists new and gone evidence', () => {
    const lines = rerunChanges(
      { findings: [finding('oom', ['restarts 3'])], unavailable: ['node: timed out'] },
      { findings: [finding('oom', ['restarts 5'])], unavailable: [] },
    );
    expect(lines).toEqual([
      'Same diagnosis as the first time: oom (`oom`, high).',
      'New evidence: pod: restarts 5',
      'No longer seen: pod: restarts 3',
      'Readable now (was not): node: timed out',
    ]);
  });

  it('says when the diagnosis changed', () => {
    const lines = rerunChanges(
      { findings: [finding('oom')], unavailable: [] },
      { findings: [], unavailable: [] },
    );
    expect(lines[0]).toBe('The diagnosis changed: was oom (`oom`, high), now no known signature.');
    expect(lines).toContain('No longer matching: oom');
  });
});
