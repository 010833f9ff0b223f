// Property tests of the signature engine: random contexts and random valid signatures never break a diagnosis.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { ok, type TriageContext, unavailable } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import type { Finding, Signature } from '../../src/domain/signature.js';
import { parseSignature } from '../../src/domain/signature-schema.js';
import { alert, context, FACTS, signatureOn, signatures } from '../support/arbitraries.js';
import {
  alert as alertOf,
  container as containerOf,
  context as contextOf,
  pod as podOf,
} from '../support/contexts.js';
import { runs } from '../support/fuzz.js';

const healthy = contextOf();

const RANK = { high: 3, medium: 2, low: 1 } as const;

/** What every diagnosis promises, whatever it was given. */
function checkFindings(findings: readonly Finding[], given: readonly Signature[]): void {
  const ids = new Set(given.map((s) => s.id));
  for (const finding of findings) {
    expect(ids.has(finding.signatureId)).toBe(true);
    expect(['high', 'medium', 'low']).toContain(finding.confidence);
    expect(finding.evidence.length).toBeGreaterThanOrEqual(1);
    for (const e of finding.evidence) {
      expect(typeof e.detail).toBe('string');
      expect(e.detail.length).toBeGreaterThan(0);
    }
    expect(typeof finding.summary).toBe('string');
    expect(finding.remediation.length).toBeGreaterThanOrEqual(1);
  }
  // Causes before mechanisms; within each, a lower confidence never precedes a higher one.
  const mechanism = new Set(given.filter((s) => s.mechanism).map((s) => s.id));
  const isMechanism = (f: Finding) => mechanism.has(f.signatureId);
  for (let i = 1; i < findings.length; i += 1) {
    const [before, after] = [findings[i - 1]!, findings[i]!];
    expect(isMechanism(before) && !isMechanism(after)).toBe(false);
    if (isMechanism(before) === isMechanism(after))
      expect(RANK[before.confidence]).toBeGreaterThanOrEqual(RANK[after.confidence]);
  }
  // Only a leading cause names mechanisms, and only ones that matched.
  for (const [i, f] of findings.entries()) {
    if (i > 0 || isMechanism(f)) expect(f.shownAs).toBeUndefined();
    else expect(f.shownAs ?? []).toEqual(findings.filter(isMechanism).map((m) => m.title));
  }
  expect(new Set(findings.map((f) => f.signatureId)).size).toBe(findings.length);
}

/** Which piece of context each fact is read from (alert.* facts come from the alert and are always known). */
const PIECE_OF: [RegExp, keyof TriageContext][] = [
  [/^(pod|container)\./, 'pod'],
  [/^events\.pod$/, 'podEvents'],
  [/^node\./, 'node'],
  [/^events\.node$/, 'nodeEvents'],
  [/^peers\./, 'peers'],
  [/^services\./, 'nodePorts'],
  [/^logs\.previous$/, 'previousLog'],
  [/^logs\.node$/, 'nodeLog'],
  [/^metrics\./, 'metrics'],
];
const pieceOf = (fact: string) => PIECE_OF.find(([re]) => re.test(fact))?.[1];

describe('diagnose on random contexts', () => {
  it('generated signatures are valid signatures (the arbitrary matches the schema)', () => {
    fc.assert(
      fc.property(signatureOn(FACTS), (s) => {
        const parsed = parseSignature(s);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      }),
      { numRuns: runs(500) },
    );
  });

  it('never throws, and every finding is ranked, unique and cites non-empty evidence (random signatures)', () => {
    fc.assert(
      fc.property(alert, context, signatures, (a, ctx, sigs) => {
        const findings = diagnose(a, ctx, sigs);
        checkFindings(findings, sigs);
        // Caches are keyed by object identity: an equal, fresh context gives the same diagnosis.
        expect(diagnose(a, structuredClone(ctx), sigs)).toEqual(findings);
      }),
      { numRuns: runs(3500) },
    );
  });

  it('a signature whose every condition reads an unavailable piece never matches', () => {
    // Signatures over facts read from the cluster; each property run makes every piece they read unavailable.
    const clusterFacts = FACTS.filter((f) => pieceOf(f) !== undefined);
    const readers = fc.uniqueArray(signatureOn(clusterFacts), {
      minLength: 1,
      maxLength: 4,
      selector: (s) => s.id,
    });
    fc.assert(
      fc.property(alert, context, readers, (a, ctx, sigs) => {
        const degraded = { ...ctx } as Record<string, unknown>;
        for (const s of sigs)
          for (const c of [...s.all, ...(s.any ?? []), ...(s.none ?? []), ...(s.support ?? [])])
            degraded[pieceOf(c.fact) as string] = unavailable('the cluster refused: 503');
        expect(diagnose(a, degraded as unknown as TriageContext, sigs)).toEqual([]);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('ranks by confidence first, however much a lower-confidence finding is corroborated', () => {
    const base = {
      targets: ['pod' as const],
      all: [{ fact: 'alert.name', op: 'exists' as const }],
      summary: 's',
      remediation: ['r'],
    };
    const high: Signature = { ...base, id: 'high-generic', title: 'h', confidence: 'high', specificity: 1 };
    const medium: Signature = {
      ...base,
      id: 'medium-corroborated',
      title: 'm',
      confidence: 'medium',
      specificity: 100,
      support: Array.from({ length: 20 }, () => ({ fact: 'alert.severity', op: 'exists' as const })),
    };
    const findings = diagnose(alertOf(), healthy, [medium, high]);
    expect(findings.map((f) => f.signatureId)).toEqual(['high-generic', 'medium-corroborated']);
  });

  it("masks secrets in what templates fill in, never in the signature author's own words", () => {
    const s: Signature = {
      id: 'secret-in-message',
      title: 't',
      targets: ['pod'],
      all: [{ fact: 'container.terminationMessage', op: 'exists' }],
      confidence: 'high',
      specificity: 1,
      summary: 'it said: {{container.terminationMessage}}',
      remediation: ['`kubectl create secret docker-registry regcred --docker-password=<token>`'],
    };
    const ctx = contextOf({
      pod: ok(
        podOf([containerOf({ lastTerminated: { exitCode: 1, message: 'DB_PASSWORD=hunter2-secret' } })]),
      ),
    });
    const [finding] = diagnose(alertOf(), ctx, [s]);
    expect(finding?.summary).toBe('it said: DB_PASSWORD=[REDACTED]');
    expect(finding?.evidence).toEqual([
      { source: 'pod.status', detail: 'termination message: DB_PASSWORD=[REDACTED]' },
    ]);
    expect(finding?.remediation).toEqual(s.remediation);
  });

  it('the built-in catalog never throws and keeps the same promises on random contexts', () => {
    fc.assert(
      fc.property(alert, context, (a, ctx) => {
        checkFindings(diagnose(a, ctx, BUILT_IN_SIGNATURES), BUILT_IN_SIGNATURES);
      }),
      { numRuns: runs(4500) },
    );
  });
});
