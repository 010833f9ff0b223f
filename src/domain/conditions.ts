// Evaluates one signature condition against the facts of one diagnosis: value comparisons and text searches.
import type { Fact, Facts, TextItem } from './facts.js';
import { regexHazard } from './regex-safety.js';
import { isShippedPattern } from './shipped-patterns.js';
import type { Condition, Evidence, EvidenceSource } from './signature.js';

/** Evidence as a condition finds it: a value fact's quote is only formatted when a finding cites it. */
export interface Cited {
  readonly source: EvidenceSource;
  readonly detail: string | (() => string);
}

export type Outcome =
  | { readonly result: 'met'; readonly evidence?: Cited }
  | { readonly result: 'unmet' }
  | { readonly result: 'unknown'; readonly reason: string };

const MET: Outcome = { result: 'met' };
const UNMET: Outcome = { result: 'unmet' };

type TextFact = Extract<Fact, { kind: 'texts' }>;

/** The facts of one diagnosis, and the text searches already made on them. */
export interface FactScope {
  readonly facts: Facts;
  /**
   * Per list and pattern: signatures share patterns (probe timeouts, DNS errors), so each list is searched once per
   * pattern. It lives as long as the diagnosis, as its lists do.
   */
  readonly searches: Map<TextFact, Map<string, TextItem | undefined>>;
}

/**
 * Patterns test at most this much of a text. Custom patterns are screened to at most quadratic backtracking
 * (regex-safety.ts), so the cap bounds the worst case per text; log lines are already cut to 500 characters and
 * Kubernetes caps termination messages at 4096 bytes.
 */
export const MAX_MATCHED_TEXT = 4096;

/**
 * Compiled once per pattern; cleared when full, as operators' edits would otherwise grow it without bound. A pattern
 * that is not shipped is screened again here, whatever path it came by (a playbook entry stored before the guard
 * learnt of lookbehinds, a signature built in code): one the guard refuses never runs, so the matching time of every
 * text stays bounded by the guard's quadratic worst case over MAX_MATCHED_TEXT characters.
 */
const patternCache = new Map<string, RegExp | { readonly refused: string }>();
function compiled(pattern: string): RegExp | { readonly refused: string } {
  let re = patternCache.get(pattern);
  if (!re) {
    if (patternCache.size >= 2000) patternCache.clear();
    const hazard = isShippedPattern(pattern) ? undefined : regexHazard(pattern);
    re = hazard ? { refused: `pattern /${pattern}/ not run: ${hazard}` } : new RegExp(pattern, 'i');
    patternCache.set(pattern, re);
  }
  return re;
}

function test(re: RegExp, text: string): boolean {
  return re.test(text.length > MAX_MATCHED_TEXT ? text.slice(0, MAX_MATCHED_TEXT) : text);
}

/** Items are tested one by one: a pattern run over the joined list could backtrack across every line of it at once. */
function searchTexts(fact: TextFact, pattern: string, scope: FactScope): TextItem | undefined {
  let done = scope.searches.get(fact);
  if (!done) {
    done = new Map();
    scope.searches.set(fact, done);
  }
  if (done.has(pattern)) return done.get(pattern);
  const re = compiled(pattern);
  if (!(re instanceof RegExp)) return undefined;
  const hit = fact.items.find((item) => test(re, item.text));
  done.set(pattern, hit);
  return hit;
}

const SOURCES: readonly [string, EvidenceSource][] = [
  ['alert.', 'alert'],
  ['pod.', 'pod.status'],
  ['container.', 'pod.status'],
  ['node.', 'node'],
  ['events.', 'events'],
  ['peers.', 'peers'],
  ['services.', 'services'],
  ['logs.', 'logs'],
  ['metrics.', 'metrics'],
  ['workload.', 'workload'],
  ['job.', 'workload'],
  ['hpa.', 'workload'],
  ['daemonset.', 'workload'],
  ['pvc.', 'volume'],
  ['pv.', 'volume'],
  ['quota.', 'quota'],
  ['cluster.', 'cluster'],
];
const sourceOf = (fact: string): EvidenceSource => SOURCES.find(([p]) => fact.startsWith(p))?.[1] ?? 'alert';

/** What a condition that holds without quoting anything (absent, notMatches, a count) observed, in words. */
export function observed(condition: Condition, fact: Fact | undefined): Evidence {
  const source = fact?.kind === 'texts' ? fact.source : sourceOf(condition.fact);
  const items = fact?.kind === 'texts' ? fact.items : [];
  if (fact === undefined) return { source, detail: `${condition.fact}: not present` };
  if (condition.op === 'notMatches')
    return {
      source,
      detail: `none of ${items.length} ${condition.fact} entries matches /${condition.pattern}/`,
    };
  if (condition.op === 'exists' && items[0]) return { source: items[0].source, detail: items[0].text };
  return { source, detail: `${condition.fact}: ${items.length} entries` };
}

function compare(condition: Condition, value: string | number | boolean): boolean {
  switch (condition.op) {
    case 'eq':
      return value === condition.value;
    case 'neq':
      return value !== condition.value;
    case 'in':
      return condition.values.includes(value as string | number);
    case 'notIn':
      return !condition.values.includes(value as string | number);
    case 'gte':
      return typeof value === 'number' && value >= condition.value;
    case 'gt':
      return typeof value === 'number' && value > condition.value;
    case 'lte':
      return typeof value === 'number' && value <= condition.value;
    case 'lt':
      return typeof value === 'number' && value < condition.value;
    case 'matches':
    case 'notMatches': {
      const re = compiled(condition.pattern);
      // evaluate() answers a refused pattern as unknown before comparing.
      if (!(re instanceof RegExp)) return false;
      return test(re, String(value)) === (condition.op === 'matches');
    }
    case 'exists':
      return true;
    case 'absent':
      return false;
  }
}

export function evaluate(condition: Condition, scope: FactScope): Outcome {
  const fact = scope.facts.get(condition.fact);
  if (fact === undefined) return condition.op === 'absent' ? MET : UNMET;
  if (fact.kind === 'unknown') return { result: 'unknown', reason: fact.reason };
  if (condition.op === 'matches' || condition.op === 'notMatches') {
    const re = compiled(condition.pattern);
    if (!(re instanceof RegExp)) return { result: 'unknown', reason: re.refused };
  }
  if (fact.kind === 'value') {
    return compare(condition, fact.value)
      ? { result: 'met', evidence: { source: fact.source, detail: fact.quote } }
      : UNMET;
  }
  // A list of texts (events, log lines): a pattern holds when any item matches and is quoted.
  if (condition.op === 'matches' || condition.op === 'notMatches') {
    const hit = searchTexts(fact, condition.pattern, scope);
    if (condition.op === 'notMatches') return hit ? UNMET : MET;
    return hit ? { result: 'met', evidence: { source: hit.source, detail: hit.text } } : UNMET;
  }
  if (condition.op === 'exists') return fact.items.length > 0 ? MET : UNMET;
  if (condition.op === 'absent') return fact.items.length === 0 ? MET : UNMET;
  return compare(condition, fact.items.length) ? MET : UNMET;
}
