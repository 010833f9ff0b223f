// Static screen for operators' signature patterns: refuses regular expressions whose backtracking can explode.
//
// A custom pattern runs against every alert's log lines, events and messages, so one catastrophic pattern stalls
// every triage. JavaScript regexps cannot be interrupted, so the screen is static and conservative. It refuses:
// - backreferences (matching with them is NP-hard);
// - a repeated group holding a quantifier or alternatives, like (a+)+ or (a|ab)*: exponential;
// - two variable-length parts that can trade characters, like .*a.*b or \d+\d+x: polynomial of the second or
//   higher degree per start position. A repetition is "closed" by a mandatory character it cannot match (the
//   ":" in [^:]*:), and trailing parts that can never fail (.*a.* ends fine) are allowed.
// - a quantified lookaround, and any group syntax the reader does not know (modifiers like (?i:…)).
// A lookbehind is judged on its content reversed: V8 matches it right to left, so (?<=ba*a*a*)x trades between the
// a* runs before it fails on b, exactly as a*a*a*b does left to right.
// What passes costs at most quadratic time in the text's length, which the engine bounds.

import { type CharSet, overlaps, parseRegex, type Term, union } from './regex-syntax.js';

class Hazard extends Error {}

const MAX_COUNT = 1000;

interface State {
  /** Variable-length parts that may still be extended: a later part able to match their characters can trade. */
  readonly open: readonly CharSet[];
  /** Two parts already overlap: anything after that can fail makes the engine try every split. */
  readonly pending: boolean;
}

const OVERLAP =
  'two repetitions can match the same text (like .*a.*b or \\d+\\d+x), which takes polynomial time on long ' +
  'lines; bound one ({0,80}), end it at a delimiter it cannot match ([^:]*:), or drop a leading .*';
const BACKREFERENCE = 'backreferences (\\1, \\k<name>) can take exponential time and are not allowed';
const NESTED =
  'a repeated group holds a quantifier or alternatives (like (a+)+ or (a|ab)*), which can take exponential time';

function hasQuantifierOrAlternation(terms: readonly Term[]): boolean {
  return terms.some(
    (t) =>
      t.min !== 1 ||
      t.max !== 1 ||
      (t.node.kind === 'group' &&
        (t.node.alternatives.length > 1 || t.node.alternatives.some(hasQuantifierOrAlternation))),
  );
}

function charsOf(terms: readonly Term[]): CharSet[] {
  return terms.flatMap((t) =>
    t.node.kind === 'char'
      ? [t.node.set]
      : t.node.kind === 'group'
        ? t.node.alternatives.flatMap(charsOf)
        : [],
  );
}

function hasVariable(terms: readonly Term[]): boolean {
  return terms.some(
    (t) => t.max > t.min || (t.node.kind === 'group' && t.node.alternatives.some(hasVariable)),
  );
}

function variable(state: State, s: CharSet, min: number): State {
  if (state.pending && min >= 1) throw new Hazard(OVERLAP);
  const overlap = overlaps(state.open, s);
  const open = min >= 1 && !overlap ? [s] : [...state.open, s];
  return { open, pending: state.pending || overlap };
}

/** The order in which V8 matches a lookbehind's content: last term first, nested groups reversed as well. */
function reversed(terms: readonly Term[]): Term[] {
  return [...terms]
    .reverse()
    .map((t) =>
      t.node.kind === 'group' && !t.node.lookaround
        ? { ...t, node: { ...t.node, alternatives: t.node.alternatives.map(reversed) } }
        : t,
    );
}

const QUANTIFIED_LOOKAROUND = 'a quantified lookaround ((?=…)* or (?<=…){2}) is not allowed';

function walk(terms: readonly Term[], start: State): State {
  let state = start;
  for (const { node, min, max } of terms) {
    if (min > MAX_COUNT || (Number.isFinite(max) && max > MAX_COUNT))
      throw new Hazard(`repetition counts above ${MAX_COUNT} are not allowed`);
    if (max === 0) continue;
    if (node.kind === 'backreference') throw new Hazard(BACKREFERENCE);
    if (node.kind === 'assert') {
      if (state.pending) throw new Hazard(OVERLAP);
      continue;
    }
    if (node.kind === 'char') {
      if (max > min) state = variable(state, node.set, min);
      else {
        if (state.pending) throw new Hazard(OVERLAP);
        if (!overlaps(state.open, node.set)) state = { open: [], pending: false };
      }
      continue;
    }
    if (node.lookaround) {
      if (min !== 1 || max !== 1) throw new Hazard(QUANTIFIED_LOOKAROUND);
      // Evaluated at every split of an open repetition before it, a variable lookaround multiplies the cost.
      if (state.pending || (state.open.length > 0 && node.alternatives.some(hasVariable)))
        throw new Hazard(OVERLAP);
      for (const alternative of node.alternatives)
        walk(node.behind ? reversed(alternative) : alternative, { open: [], pending: false });
      continue;
    }
    if (max > 1) {
      if (node.alternatives.length > 1 || node.alternatives.some(hasQuantifierOrAlternation))
        throw new Hazard(NESTED);
      const content = node.alternatives[0] ?? [];
      state = max > min ? variable(state, union(charsOf(content)), min) : walk(content, state);
      continue;
    }
    const outs = node.alternatives.map((alternative) => walk(alternative, state));
    if (min === 0) outs.push(state);
    state = {
      open: outs.flatMap((o) => o.open),
      pending: outs.some((o) => o.pending),
    };
  }
  return state;
}

/** Why a pattern is unsafe to run on every alert, or undefined when its matching cost is at most quadratic. */
export function regexHazard(pattern: string): string | undefined {
  try {
    for (const alternative of parseRegex(pattern)) walk(alternative, { open: [], pending: false });
    return undefined;
  } catch (error) {
    if (error instanceof Hazard) return error.message;
    if (error instanceof SyntaxError) return `not a pattern this service can check: ${error.message}`;
    throw error;
  }
}
