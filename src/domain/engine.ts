// The signature engine: evaluates data-driven signatures against facts and ranks the findings they prove.
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { extractFacts, type Fact, type Facts, type TextItem } from './facts.js';
import { renderTemplate, type TemplateVars, templateVars } from './remediation.js';
import type { Condition, Confidence, Evidence, Finding, Signature } from './signature.js';

type Outcome =
  | { readonly result: 'met'; readonly evidence?: Evidence }
  | { readonly result: 'unmet' }
  | { readonly result: 'unknown'; readonly reason: string };

const MET: Outcome = { result: 'met' };
const UNMET: Outcome = { result: 'unmet' };

const patternCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'i');
    patternCache.set(pattern, re);
  }
  return re;
}

const multilineCache = new Map<string, RegExp>();
function compiledMultiline(pattern: string): RegExp {
  let re = multilineCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'im');
    multilineCache.set(pattern, re);
  }
  return re;
}

const joined = new WeakMap<object, string>();
function joinedText(fact: Extract<Fact, { kind: 'texts' }>): string {
  let text = joined.get(fact.items);
  if (text === undefined) {
    text = fact.items.map((i) => i.text).join('\n');
    joined.set(fact.items, text);
  }
  return text;
}

/** Signatures share patterns (probe timeouts, DNS errors); each list is searched once per pattern. */
const searches = new WeakMap<object, Map<string, TextItem | undefined>>();
function searchTexts(fact: Extract<Fact, { kind: 'texts' }>, pattern: string): TextItem | undefined {
  let done = searches.get(fact.items);
  if (!done) {
    done = new Map();
    searches.set(fact.items, done);
  }
  if (done.has(pattern)) return done.get(pattern);
  let hit: TextItem | undefined;
  if (compiledMultiline(pattern).test(joinedText(fact))) {
    const re = compiled(pattern);
    hit = fact.items.find((item) => re.test(item.text));
  }
  done.set(pattern, hit);
  return hit;
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
      return compiled(condition.pattern).test(String(value));
    case 'notMatches':
      return !compiled(condition.pattern).test(String(value));
    case 'exists':
      return true;
    case 'absent':
      return false;
  }
}

function evaluate(condition: Condition, fact: Fact | undefined): Outcome {
  if (fact === undefined) return condition.op === 'absent' ? MET : UNMET;
  if (fact.kind === 'unknown') return { result: 'unknown', reason: fact.reason };
  if (fact.kind === 'value') {
    return compare(condition, fact.value)
      ? { result: 'met', evidence: { source: fact.source, detail: fact.quote } }
      : UNMET;
  }
  // A list of texts (events, log lines): a pattern holds when any item matches and is quoted. One test over the
  // joined list rules most lists out at once; only a hit is searched item by item.
  if (condition.op === 'matches' || condition.op === 'notMatches') {
    const hit = searchTexts(fact, condition.pattern);
    if (condition.op === 'notMatches') return hit ? UNMET : MET;
    return hit ? { result: 'met', evidence: { source: hit.source, detail: hit.text } } : UNMET;
  }
  if (condition.op === 'exists') return fact.items.length > 0 ? MET : UNMET;
  if (condition.op === 'absent') return fact.items.length === 0 ? MET : UNMET;
  return compare(condition, fact.items.length) ? MET : UNMET;
}

const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };
const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

interface Match {
  readonly finding: Finding;
  readonly score: number;
}

/** Facts that are lists of texts: scanning them with a pattern costs far more than comparing a value. */
const LIST_FACT = /^(events|logs)\./;
const ordered = new WeakMap<readonly Condition[], readonly Condition[]>();

/** Decisive conditions with value comparisons first, so a signature that cannot match fails before any text scan. */
function cheapFirst(conditions: readonly Condition[]): readonly Condition[] {
  let sorted = ordered.get(conditions);
  if (!sorted) {
    sorted = [...conditions].sort((a, b) => Number(LIST_FACT.test(a.fact)) - Number(LIST_FACT.test(b.fact)));
    ordered.set(conditions, sorted);
  }
  return sorted;
}

function applies(signature: Signature, alert: Alert, context: TriageContext): boolean {
  if (context.target.kind === 'none' || !signature.targets.includes(context.target.kind)) return false;
  return !signature.alerts || signature.alerts.includes(alert.labels.alertname ?? '');
}

function matchSignature(signature: Signature, facts: Facts, vars: () => TemplateVars): Match | undefined {
  const evidence: Evidence[] = [];
  const unchecked: string[] = [];
  let decisiveMet = 0;

  for (const condition of cheapFirst(signature.all)) {
    const outcome = evaluate(condition, facts.get(condition.fact));
    if (outcome.result === 'unmet') return undefined;
    if (outcome.result === 'unknown') {
      if (!condition.orUnknown) return undefined;
      unchecked.push(outcome.reason);
      continue;
    }
    decisiveMet += 1;
    if (outcome.evidence) evidence.push(outcome.evidence);
  }
  if (signature.any && signature.any.length > 0) {
    const outcomes = signature.any.map((c) => ({ c, o: evaluate(c, facts.get(c.fact)) }));
    const met = outcomes.filter((x) => x.o.result === 'met');
    if (met.length === 0) {
      const unknown = outcomes.filter((x) => x.o.result === 'unknown' && x.c.orUnknown);
      if (unknown.length === 0) return undefined;
      for (const x of unknown) if (x.o.result === 'unknown') unchecked.push(x.o.reason);
    } else {
      decisiveMet += 1;
      for (const x of met) if (x.o.result === 'met' && x.o.evidence) evidence.push(x.o.evidence);
    }
  }
  // Never match on unknowns alone: at least one decisive condition must be proven.
  if (decisiveMet === 0) return undefined;
  for (const condition of signature.none ?? []) {
    if (evaluate(condition, facts.get(condition.fact)).result === 'met') return undefined;
  }
  let supported = 0;
  for (const condition of signature.support ?? []) {
    const outcome = evaluate(condition, facts.get(condition.fact));
    if (outcome.result === 'met') {
      supported += 1;
      if (outcome.evidence) evidence.push(outcome.evidence);
    }
  }

  const confidence = unchecked.length > 0 ? LOWER[signature.confidence] : signature.confidence;
  const unique = dedupe(evidence);
  const finding: Finding = {
    signatureId: signature.id,
    title: signature.title,
    confidence,
    summary: renderTemplate(signature.summary, vars()),
    evidence: unique,
    remediation: signature.remediation.map((step) => renderTemplate(step, vars())),
    ...(unchecked.length > 0 ? { unchecked: [...new Set(unchecked)] } : {}),
  };
  const score = RANK[confidence] * 10_000 + signature.specificity * 100 + supported * 10 + unique.length;
  return { finding, score };
}

function dedupe(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.source}\u0000${e.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const NODE_LEVEL: ReadonlySet<string> = new Set(['node', 'metrics', 'peers']);

/**
 * A finding proven by node-level evidence, while other pods on that node fail too, names the node as the common
 * factor and lists the affected pods: one node-wide fault, not many unrelated ones.
 */
function correlate(finding: Finding, facts: Facts, node: string | undefined): Finding {
  const peers = facts.get('peers.failingPods');
  if (!node || peers?.kind !== 'texts' || peers.items.length === 0) return finding;
  if (!finding.evidence.some((e) => NODE_LEVEL.has(e.source) && e.source !== 'peers')) return finding;
  const affectedPods = peers.items.map((i) => i.text.split(' ')[0] ?? i.text);
  return { ...finding, correlation: { node, affectedPods } };
}

/** Findings best first. No applicable signature with proven evidence gives an empty list. */
export function diagnose(alert: Alert, context: TriageContext, signatures: readonly Signature[]): Finding[] {
  const facts = extractFacts(alert, context);
  // Template variables are only needed once something matched; most signatures do not.
  let cached: TemplateVars | undefined;
  const vars = () => {
    cached ??= templateVars(alert, context, facts);
    return cached;
  };
  const matches: Match[] = [];
  for (const signature of signatures) {
    if (!applies(signature, alert, context)) continue;
    const match = matchSignature(signature, facts, vars);
    if (match) matches.push(match);
  }
  const nodeName =
    (context.pod.status === 'ok' ? context.pod.value.nodeName : undefined) ?? context.target.node;
  return matches.sort((a, b) => b.score - a.score).map((m) => correlate(m.finding, facts, nodeName));
}
