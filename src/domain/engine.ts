// The signature engine: evaluates data-driven signatures against facts and ranks the findings they prove.
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { extractFacts, type Fact, type Facts, type TextItem } from './facts.js';
import { redact } from './redact.js';
import { renderTemplate, type TemplateVars, templateVars } from './remediation.js';
import type { Condition, Confidence, Evidence, EvidenceSource, Finding, Signature } from './signature.js';

type Outcome =
  | { readonly result: 'met'; readonly evidence?: Evidence }
  | { readonly result: 'unmet' }
  | { readonly result: 'unknown'; readonly reason: string };

const MET: Outcome = { result: 'met' };
const UNMET: Outcome = { result: 'unmet' };

/**
 * Patterns test at most this much of a text. Custom patterns are screened to at most quadratic backtracking
 * (regex-safety.ts), so the cap bounds the worst case per text; log lines are already cut to 500 characters and
 * Kubernetes caps termination messages at 4096 bytes.
 */
export const MAX_MATCHED_TEXT = 4096;

/** Compiled once per pattern; cleared when full, as operators' edits would otherwise grow it without bound. */
const patternCache = new Map<string, RegExp>();
function test(pattern: string, text: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    if (patternCache.size >= 2000) patternCache.clear();
    re = new RegExp(pattern, 'i');
    patternCache.set(pattern, re);
  }
  return re.test(text.length > MAX_MATCHED_TEXT ? text.slice(0, MAX_MATCHED_TEXT) : text);
}

/**
 * Signatures share patterns (probe timeouts, DNS errors); each list is searched once per pattern. Items are tested
 * one by one: a pattern run over the joined list could backtrack across every line of it at once.
 */
const searches = new WeakMap<object, Map<string, TextItem | undefined>>();
function searchTexts(fact: Extract<Fact, { kind: 'texts' }>, pattern: string): TextItem | undefined {
  let done = searches.get(fact.items);
  if (!done) {
    done = new Map();
    searches.set(fact.items, done);
  }
  if (done.has(pattern)) return done.get(pattern);
  const hit = fact.items.find((item) => test(pattern, item.text));
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
];
const sourceOf = (fact: string): EvidenceSource => SOURCES.find(([p]) => fact.startsWith(p))?.[1] ?? 'alert';

/** What a condition that holds without quoting anything (absent, notMatches, a count) observed, in words. */
function observed(condition: Condition, fact: Fact | undefined): Evidence {
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
      return test(condition.pattern, String(value));
    case 'notMatches':
      return !test(condition.pattern, String(value));
    case 'exists':
      return true;
    case 'absent':
      return false;
  }
}

/** A quoted log line or event can be 64 KiB; evidence keeps its first 1,000 characters (redacted before cut). */
const EVIDENCE_MAX = 1000;
function clip(text: string): string {
  if (text.length <= EVIDENCE_MAX) return text;
  // Never end on the first half of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text.charAt(EVIDENCE_MAX - 2)) ? EVIDENCE_MAX - 2 : EVIDENCE_MAX - 1;
  return `${text.slice(0, end)}…`;
}

function evaluate(condition: Condition, fact: Fact | undefined): Outcome {
  if (fact === undefined) return condition.op === 'absent' ? MET : UNMET;
  if (fact.kind === 'unknown') return { result: 'unknown', reason: fact.reason };
  if (fact.kind === 'value') {
    return compare(condition, fact.value)
      ? { result: 'met', evidence: { source: fact.source, detail: fact.quote } }
      : UNMET;
  }
  // A list of texts (events, log lines): a pattern holds when any item matches and is quoted.
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
  /** Confidence, then specificity, then corroboration, then evidence: compared in that order, never summed. */
  readonly rank: readonly [number, number, number, number];
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
  /** Decisive conditions that held without quoting anything (absent, notMatches, counts). */
  const quiet: Condition[] = [];
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
    else quiet.push(condition);
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
      for (const x of met) {
        if (x.o.result === 'met' && x.o.evidence) evidence.push(x.o.evidence);
        else quiet.push(x.c);
      }
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
  // A finding always cites what proved it: when no condition quoted the context, say what was observed.
  const unique = dedupe(evidence.length > 0 ? evidence : quiet.map((c) => observed(c, facts.get(c.fact))));
  // Findings are stored and posted: quotes of messages and logs (a termination message is often the log's tail)
  // and the values templates fill in are masked here, whatever the context they came from. The templates' own
  // words are the signature author's (`--docker-password=<token>`) and stay as written.
  const filled: TemplateVars = (name) => {
    const value = vars()(name);
    return value === undefined ? undefined : redact(value);
  };
  const finding: Finding = {
    signatureId: signature.id,
    title: signature.title,
    confidence,
    summary: renderTemplate(signature.summary, filled),
    evidence: unique.map((e) => ({ source: e.source, detail: clip(redact(e.detail)) })),
    remediation: signature.remediation.map((step) => renderTemplate(step, filled)),
    ...(unchecked.length > 0 ? { unchecked: [...new Set(unchecked)].map(redact) } : {}),
  };
  return { finding, rank: [RANK[confidence], signature.specificity, supported, unique.length] };
}

/** Best first; a weighted sum would let 20 corroborations outweigh a confidence step. */
function byRank(a: Match, b: Match): number {
  for (let i = 0; i < a.rank.length; i += 1) {
    const d = (b.rank[i] ?? 0) - (a.rank[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
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
  return matches.sort(byRank).map((m) => correlate(m.finding, facts, nodeName));
}
