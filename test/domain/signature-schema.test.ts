// Every built-in signature passes the same validation operators' signatures get, and bad ones are refused clearly.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { type TriageContext, unavailable } from '../../src/domain/context.js';
import { extractFacts, FACT_NAMES } from '../../src/domain/facts.js';
import { KNOWN_FACTS, parseSignature } from '../../src/domain/signature-schema.js';
import { alert, context } from '../support/contexts.js';

const good = {
  id: 'payments-vault-lease-expired',
  title: 'Vault lease expired',
  targets: ['pod'],
  all: [{ fact: 'logs.previous', op: 'matches', pattern: 'lease (expired|not found)' }],
  confidence: 'high',
  specificity: 95,
  summary: '{{pod}} lost its lease',
  remediation: ['kubectl rollout restart {{workload}} -n {{namespace}}'],
};

describe('signature schema', () => {
  it.each(BUILT_IN_SIGNATURES.map((s) => [s.id, s]))('accepts the built-in %s', (_, signature) => {
    expect(parseSignature(signature)).toMatchObject({ ok: true });
  });

  it('accepts a custom signature', () => {
    expect(parseSignature(good)).toMatchObject({ ok: true });
  });

  it('accepts any alert label or annotation as a fact, and refuses what no label could be named', () => {
    const on = (fact: string) => parseSignature({ ...good, all: [{ fact, op: 'exists' }] }).ok;
    expect(on('alert.label.eviction_signal')).toBe(true);
    expect(on('alert.annotation.description')).toBe(true);
    expect(on('alert.label.')).toBe(false);
    expect(on('alert.label.mount-point')).toBe(false);
    expect(on('alert.labels.mountpoint')).toBe(false);
  });

  it.each([
    ['an unknown fact', { all: [{ fact: 'pod.colour', op: 'exists' }] }, 'all.0.fact'],
    [
      'a broken pattern',
      { all: [{ fact: 'logs.previous', op: 'matches', pattern: '(unclosed' }] },
      'all.0.pattern',
    ],
    ['a bad id', { id: 'Bad Id' }, 'id'],
    ['no decisive condition', { all: [] }, 'all'],
    ['an unknown field', { colour: 'red' }, ''],
    ['a wrong confidence', { confidence: 'certain' }, 'confidence'],
  ])('refuses %s and says where', (_, change, path) => {
    const result = parseSignature({ ...good, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });
});

describe('known facts', () => {
  it('are exactly the facts extraction produces: every piece unreadable marks each of its facts unknown', () => {
    const none = unavailable<never>('cluster down');
    const ctx: TriageContext = {
      ...context(),
      pod: none,
      podEvents: none,
      node: none,
      nodeEvents: none,
      peers: none,
      previousLog: none,
      metrics: none,
      nodePorts: none,
      nodeLog: none,
      workload: none,
      claim: none,
      quota: none,
      provider: none,
    };
    // The alert's own labels and annotations are facts too, named after them (alert.label.*, alert.annotation.*).
    const listed = [...extractFacts(alert({ mountpoint: '/' }), ctx).keys()].filter(
      (name) => !/^alert\.(label|annotation)\./.test(name),
    );
    expect(listed.sort()).toEqual([...FACT_NAMES].sort());
    expect([...KNOWN_FACTS].sort()).toEqual([...FACT_NAMES].sort());
  });
});
