// The stand-in's PromQL arithmetic: `+ - * /` between vectors and numbers, with PromQL's precedence and matching.
import type { EvaluatedSample } from './promql-eval.js';

export type Operand = number | readonly EvaluatedSample[];

const APPLY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

const PRECEDENCE: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };

/**
 * Calls `visit` with each character of `expr` outside strings, parentheses, braces and brackets, and its index;
 * `visit` may answer how many characters to skip after it.
 */
export function scanTopLevel(expr: string, visit: (i: number, ch: string) => number | undefined): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < expr.length; i += 1) {
    const ch = expr[i] ?? '';
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('({['.includes(ch)) depth += 1;
    else if (')}]'.includes(ch)) depth -= 1;
    else if (depth === 0) i += visit(i, ch) ?? 0;
  }
}

/**
 * `left op right` split at the top-level operator that binds last: the lowest precedence, the rightmost of equals
 * (left associative); undefined when there is none outside parentheses, braces, brackets and strings.
 */
export function splitBinary(expr: string): { left: string; op: string; right: string } | undefined {
  let found: number | undefined;
  scanTopLevel(expr, (i, ch) => {
    if (ch in APPLY && expr.slice(0, i).trim() !== '') {
      const binds = PRECEDENCE[ch] ?? 0;
      if (found === undefined || binds <= (PRECEDENCE[expr[found] ?? ''] ?? 0)) found = i;
    }
    return undefined;
  });
  if (found === undefined) return undefined;
  return { left: expr.slice(0, found), op: expr[found] ?? '', right: expr.slice(found + 1) };
}

const withoutName = (labels: Readonly<Record<string, string>>) => {
  const { __name__: _, ...rest } = labels;
  return rest;
};
const key = (labels: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(withoutName(labels)).sort());

/**
 * Vector op number applies to each sample; vector op vector pairs samples with the same labels (the metric name
 * aside), one to one, and drops the rest; the result has no metric name.
 */
export function combine(left: Operand, op: string, right: Operand): Operand | undefined {
  const apply = APPLY[op];
  if (!apply) return undefined;
  if (typeof left === 'number' && typeof right === 'number') return apply(left, right);
  if (typeof right === 'number' && typeof left !== 'number') {
    return left.map((s) => ({ labels: withoutName(s.labels), value: apply(s.value, right) }));
  }
  if (typeof left === 'number' && typeof right !== 'number') {
    return right.map((s) => ({ labels: withoutName(s.labels), value: apply(left, s.value) }));
  }
  const rights = new Map((right as readonly EvaluatedSample[]).map((s) => [key(s.labels), s.value]));
  return (left as readonly EvaluatedSample[]).flatMap((s) => {
    const other = rights.get(key(s.labels));
    return other === undefined ? [] : [{ labels: withoutName(s.labels), value: apply(s.value, other) }];
  });
}
