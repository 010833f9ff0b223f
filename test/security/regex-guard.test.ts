// Finding 3 of issue 16: the pattern guard judges lookbehinds in V8's matching direction, refuses what it cannot
// read, and the engine never runs a custom pattern the guard refuses, whichever path brought it.
import { describe, expect, it } from 'vitest';
import { ok } from '../../src/domain/context.js';
import { diagnose } from '../../src/domain/engine.js';
import { regexHazard } from '../../src/domain/regex-safety.js';
import type { Signature } from '../../src/domain/signature.js';
import { parseSignature } from '../../src/domain/signature-schema.js';
import { alert, container, context, pod } from '../support/contexts.js';

const compiles = (p: string) => {
  new RegExp(p, 'i');
  return p;
};

describe('lookbehinds are judged right to left, as V8 matches them', () => {
  it.each([
    // The reviewer's pattern: n^6 on runs of "a" (875 ms on 61 characters, 12.9 s on 121).
    '(?<=ba*a*a*a*a*a*)x',
    '(?<!ba*a*a*)x',
    '(?<=b\\w+\\d+)x',
    '(?<=b(?:a*)a*)x',
    '(?<=b(a*a*))x',
    '(?<=(?:b|c)[ab]*a*)x',
  ])('refuses %s', (p) => {
    expect(regexHazard(compiles(p))).toMatch(/two repetitions/);
  });

  it.each([
    '(?<!cgroup )out of memory',
    '(?<=user=)\\w+',
    '(?<=[^:]*:)x',
    '(?<![a-z0-9])token',
  ])('accepts the ordinary lookbehind %s', (p) => {
    expect(regexHazard(compiles(p))).toBeUndefined();
  });
});

describe('constructs the guard cannot prove safe are refused', () => {
  it('refuses a quantified lookahead', () => {
    expect(regexHazard(compiles('(?=a*)*b'))).toMatch(/quantified lookaround/);
    expect(regexHazard(compiles('x(?!a){2}'))).toMatch(/quantified lookaround/);
  });

  it('refuses group modifiers it does not read, like (?i:…)', () => {
    let modifiers: string | undefined;
    try {
      modifiers = compiles('(?-i:a|a)+b');
    } catch {
      // Modifiers are new in V8; where this Node lacks them the pattern cannot be stored anyway.
    }
    if (modifiers) expect(regexHazard(modifiers)).toMatch(/not a pattern this service can check/);
  });
});

describe('the engine runs no refused pattern, whichever path brought it', () => {
  const custom: Signature = {
    id: 'stored-before-the-fix',
    title: 't',
    targets: ['pod'],
    all: [{ fact: 'container.terminationMessage', op: 'matches', pattern: '(?<=ba*a*a*a*a*a*)x' }],
    confidence: 'low',
    specificity: 1,
    summary: 's',
    remediation: ['r'],
  };
  const withMessage = (message: string) =>
    context({ pod: ok(pod([container({ lastTerminated: { exitCode: 1, message } })])) });

  it('the playbook API refuses it', () => {
    expect(parseSignature(custom)).toMatchObject({ ok: false });
  });

  it('a signature that skipped the API (a stored entry, code) is not matched: its pattern never runs', () => {
    // "baaax" matches the pattern; run, it would yield a finding. Refused, the condition is unknown.
    expect(diagnose(alert(), withMessage('baaax'), [custom])).toEqual([]);
  });

  it('a text fact refuses it too (searched line by line)', () => {
    const onLogs: Signature = {
      ...custom,
      all: [{ fact: 'logs.previous', op: 'matches', pattern: '(?<=ba*a*a*a*a*a*)x' }],
    };
    expect(diagnose(alert(), context({ previousLog: ok('baaax') }), [onLogs])).toEqual([]);
  });

  it('a safe custom pattern still runs', () => {
    const safe: Signature = {
      ...custom,
      all: [{ fact: 'container.terminationMessage', op: 'matches', pattern: 'baaax' }],
    };
    expect(diagnose(alert(), withMessage('baaax'), [safe])).toHaveLength(1);
  });
});
