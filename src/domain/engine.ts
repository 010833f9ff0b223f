// The signature engine: evaluates data-driven signatures against facts and ranks the findings they prove.
import type { Alert } from './alert.js';
import { type Cited, evaluate, type FactScope, observed } from './conditions.js';
import type { TriageContext } from './context.js';
import { extractFacts, type Facts } from './facts.js';
import { clipText } from './format.js';
import { redact } from './redact.js';
import { renderTemplate, type TemplateVars, templateVars } from './remediation.js';
import type { Condition, Confidence, Evidence, Finding, Signature } from './signature.js';

export { MAX_MATCHED_TEXT } from './conditions.js';

/** Evidence as a finding states it: a cited value fact's quote is formatted here, once its signature matched. */
const written = (e: Cited): Evidence =>
  typeof e.detail === 'string'
    ? { source: e.source, detail: e.detail }
    : { source: e.source, detail: e.detail() };

/** A quoted log line or event can be 64 KiB; evidence keeps its first 1,000 characters (redacted before cut). */
const EVIDENCE_MAX = 1000;

const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };
const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

interface Match {
  readonly finding: Finding;
  readonly mechanism: boolean;
  /**
   * Cause before mechanism, then confidence, specificity, corroboration and evidence: compared in that order, never
   * summed. A specific cause with its evidence leads even when a generic mechanism is more certain.
   */
  readonly rank: readonly [number, number, number, number, number];
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

/** What the findings of one diagnosis share: its facts, and the masked texts that several findings quote. */
interface Diagnosis extends FactScope {
  /** Template values, masked. */
  readonly vars: TemplateVars;
  /** redact(), once per distinct text: the findings of one alert quote the same lines and names again and again. */
  readonly mask: (text: string) => string;
}

function memoize(compute: (text: string) => string): (text: string) => string {
  const memo = new Map<string, string>();
  return (text) => {
    let value = memo.get(text);
    if (value === undefined) {
      value = compute(text);
      memo.set(text, value);
    }
    return value;
  };
}

function matchSignature(signature: Signature, diagnosis: Diagnosis): Match | undefined {
  const { facts, mask } = diagnosis;
  const evidence: Cited[] = [];
  /** Decisive conditions that held without quoting anything (absent, notMatches, counts). */
  const quiet: Condition[] = [];
  const unchecked: string[] = [];
  let decisiveMet = 0;

  for (const condition of cheapFirst(signature.all)) {
    const outcome = evaluate(condition, diagnosis);
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
    let met = 0;
    const unknown: string[] = [];
    for (const condition of signature.any) {
      const outcome = evaluate(condition, diagnosis);
      if (outcome.result === 'met') {
        met += 1;
        if (outcome.evidence) evidence.push(outcome.evidence);
        else quiet.push(condition);
      } else if (outcome.result === 'unknown' && condition.orUnknown) unknown.push(outcome.reason);
    }
    if (met > 0) decisiveMet += 1;
    else if (unknown.length > 0) unchecked.push(...unknown);
    else return undefined;
  }
  // Never match on unknowns alone: at least one decisive condition must be proven.
  if (decisiveMet === 0) return undefined;
  for (const condition of signature.none ?? []) {
    const outcome = evaluate(condition, diagnosis);
    if (outcome.result === 'met') return undefined;
    // An exclusion that could not be checked is not proven false: the cause it rules out (conntrack full behind
    // DNS errors, say) may be the real one, so the finding drops a step and says what it could not rule out.
    if (outcome.result === 'unknown')
      unchecked.push(`could not rule out ${condition.fact}: ${outcome.reason}`);
  }
  let supported = 0;
  for (const condition of signature.support ?? []) {
    const outcome = evaluate(condition, diagnosis);
    if (outcome.result === 'met') {
      supported += 1;
      if (outcome.evidence) evidence.push(outcome.evidence);
    }
  }

  // Evidence that fits another cause as well: say so, and lead with the step that tells them apart.
  const doubts = signature.ambiguous
    ? signature.ambiguous.filter((a) =>
        a.when.some((c) => {
          const outcome = evaluate(c, diagnosis);
          if (outcome.result === 'met' && outcome.evidence) evidence.push(outcome.evidence);
          return outcome.result === 'met';
        }),
      )
    : [];
  const checked = unchecked.length > 0 ? LOWER[signature.confidence] : signature.confidence;
  const confidence = doubts.length > 0 ? LOWER[checked] : checked;
  // A finding always cites what proved it: when no condition quoted the context, say what was observed.
  const unique = dedupe(
    evidence.length > 0 ? evidence.map(written) : quiet.map((c) => observed(c, facts.get(c.fact))),
  );
  const finding: Finding = {
    signatureId: signature.id,
    title: signature.title,
    confidence,
    summary:
      doubts.length === 0
        ? renderTemplate(signature.summary, diagnosis.vars)
        : [signature.summary, ...doubts.map((d) => d.alternative)]
            .map((text) => renderTemplate(text, diagnosis.vars))
            .join(' '),
    evidence: unique.map((e) => ({ source: e.source, detail: clipText(mask(e.detail), EVIDENCE_MAX) })),
    remediation: (doubts.length === 0
      ? signature.remediation
      : [...doubts.map((d) => d.tellApart), ...signature.remediation]
    ).map((step) => renderTemplate(step, diagnosis.vars)),
    ...(unchecked.length > 0 ? { unchecked: [...new Set(unchecked)].map(mask) } : {}),
  };
  const mechanism = signature.mechanism === true;
  return {
    finding,
    mechanism,
    rank: [mechanism ? 0 : 1, RANK[confidence], signature.specificity, supported, unique.length],
  };
}

/** Best first; a weighted sum would let 20 corroborations outweigh a confidence step. */
function byRank(a: Match, b: Match): number {
  for (let i = 0; i < a.rank.length; i += 1) {
    const d = (b.rank[i] ?? 0) - (a.rank[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A finding cites at most 80 items (20 per condition list): comparing pairs is cheaper than hashing long quotes. */
function dedupe(evidence: readonly Evidence[]): Evidence[] {
  return evidence.filter(
    (e, i) => evidence.findIndex((o) => o.source === e.source && o.detail === e.detail) === i,
  );
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
  // Findings are stored and posted: quotes of messages and logs (a termination message is often the log's tail)
  // and the values templates fill in are masked, whatever the context they came from. The templates' own words
  // are the signature author's (`--docker-password=<token>`) and stay as written.
  const mask = memoize(redact);
  // Template variables are only needed once something matched; most signatures do not.
  let raw: TemplateVars | undefined;
  const vars: TemplateVars = (name) => {
    raw ??= templateVars(alert, context, facts);
    const value = raw(name);
    return value === undefined ? undefined : mask(value);
  };
  const diagnosis: Diagnosis = { facts, searches: new Map(), vars, mask };
  const matches: Match[] = [];
  for (const signature of signatures) {
    if (!applies(signature, alert, context)) continue;
    const match = matchSignature(signature, diagnosis);
    if (match) matches.push(match);
  }
  const nodeName =
    (context.pod.status === 'ok' ? context.pod.value.nodeName : undefined) ?? context.target.node;
  const ranked = matches.sort(byRank);
  return ranked.map((m, i) => correlate(i === 0 ? withMechanisms(m, ranked) : m.finding, facts, nodeName));
}

/** A cause that leads names the mechanisms that matched too: how it showed, not a rival diagnosis. */
function withMechanisms(top: Match, ranked: readonly Match[]): Finding {
  if (top.mechanism) return top.finding;
  const shownAs = ranked.filter((m) => m.mechanism).map((m) => m.finding.title);
  return shownAs.length > 0 ? { ...top.finding, shownAs } : top.finding;
}
