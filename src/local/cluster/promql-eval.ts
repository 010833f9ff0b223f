// The stand-in's PromQL: evaluates the query shapes triage sends the way real PromQL does for straight-line series.
import { combine, type Operand, splitBinary } from './promql-binary.js';
import { type ScenarioSeries, SERIES_HISTORY_SECONDS } from './scenario.js';

export interface EvaluatedSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Picks the series one selector text (`name{matchers}`) matches; throws a 400 answer for a bad selector. */
export type Select = (selector: string) => readonly ScenarioSeries[];

const SELECTOR = String.raw`[a-zA-Z_:][\w:]*\s*(?:\{(?:[^}"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*\})?`;
const DURATION = String.raw`\d+[smhd]`;
/** `[agg [by|without (labels)] (] [fn (] selector [[window]] [, number] [)] [)]`, nothing else. */
const SHAPE = new RegExp(
  String.raw`^\s*(?:(sum|max|min|avg|count)\s*(?:(by|without)\s*\(([^)]*)\)\s*)?\(\s*)?` +
    String.raw`(?:([a-z_]+)\s*\(\s*)?(${SELECTOR})\s*(?:\[\s*(${DURATION})\s*\])?\s*` +
    String.raw`(?:,\s*(-?[\d.]+(?:\s*\*\s*[\d.]+)*)\s*)?(\))?\s*(\))?\s*$`,
);

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function seconds(duration: string): number {
  return Number(duration.slice(0, -1)) * (UNIT_SECONDS[duration.slice(-1)] ?? 1);
}

/**
 * A straight line sampled over the history: `value` at its start, `perSecond` growth, evaluated at its end. Real
 * PromQL extrapolates rate and increase to the window edges, so for a straight line they are the exact slope.
 */
const RANGE_FUNCTIONS: Record<string, (now: number, slope: number, window: number, arg: number) => number> = {
  rate: (_now, k) => k,
  irate: (_now, k) => k,
  deriv: (_now, k) => k,
  increase: (_now, k, w) => k * w,
  delta: (_now, k, w) => k * w,
  max_over_time: (now, k, w) => Math.max(now, now - k * w),
  min_over_time: (now, k, w) => Math.min(now, now - k * w),
  avg_over_time: (now, k, w) => now - (k * w) / 2,
  last_over_time: (now) => now,
  predict_linear: (now, k, _w, t) => now + k * t,
};

const AGGREGATE: Record<string, (values: readonly number[]) => number> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  max: (v) => Math.max(...v),
  min: (v) => Math.min(...v),
  avg: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  count: (v) => v.length,
};

const valueNow = (s: ScenarioSeries) => s.value + (s.perSecond ?? 0) * SERIES_HISTORY_SECONDS;

function grouping(labels: Readonly<Record<string, string>>, mode: string | undefined, names: string[]) {
  if (mode === 'by')
    return Object.fromEntries(names.filter((n) => labels[n]).map((n) => [n, labels[n] ?? '']));
  const kept: Record<string, string> = {};
  if (mode === 'without') {
    for (const [k, v] of Object.entries(labels)) if (k !== '__name__' && !names.includes(k)) kept[k] = v;
  }
  return kept;
}

/**
 * The instant vector of `expr` at the end of the series' history, or undefined when the expression is not a shape
 * this evaluator knows (the caller then falls back to its first selector): an aggregation of a range function of
 * a selector, or one arithmetic operator between two of those or numbers (a ratio of two rates).
 */
export function evaluate(expr: string, select: Select): readonly EvaluatedSample[] | undefined {
  const result = evaluateExpr(expr, select);
  return typeof result === 'number' ? undefined : result;
}

function evaluateExpr(expr: string, select: Select): Operand | undefined {
  const text = expr.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const binary = splitBinary(text);
  if (binary) {
    const left = evaluateExpr(binary.left, select);
    const right = evaluateExpr(binary.right, select);
    return left === undefined || right === undefined ? undefined : combine(left, binary.op, right);
  }
  if (text.startsWith('-')) {
    // Unary minus: `-deriv(free_bytes[6h])` is the fill rate.
    const inner = evaluateExpr(text.slice(1), select);
    return inner === undefined ? undefined : combine(inner, '*', -1);
  }
  const wrapped = /^\(([\s\S]*)\)$/.exec(text);
  // `(a) (b)` also starts and ends with parentheses; evaluateShape refuses what is left of it.
  if (wrapped?.[1] !== undefined) return evaluateExpr(wrapped[1], select);
  return evaluateShape(text, select) ?? evaluateAggregation(text, select);
}

const AGGREGATION = /^(sum|max|min|avg|count)\s*(?:(by|without)\s*\(([^)]*)\)\s*)?\(([\s\S]*)\)$/;

/** An aggregation of any expression this evaluator knows (`max(-deriv(x[6h]))`), once the plain shape did not fit. */
function evaluateAggregation(expr: string, select: Select): EvaluatedSample[] | undefined {
  const m = AGGREGATION.exec(expr);
  if (!m?.[1] || m[4] === undefined) return undefined;
  const inner = evaluateExpr(m[4], select);
  if (inner === undefined || typeof inner === 'number') return undefined;
  return aggregateSamples(inner, m[1], m[2], m[3]);
}

function aggregateSamples(
  samples: readonly EvaluatedSample[],
  agg: string,
  mode: string | undefined,
  groupLabels: string | undefined,
): EvaluatedSample[] | undefined {
  const aggregate = AGGREGATE[agg];
  if (!aggregate) return undefined;
  const names = (groupLabels ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const sample of samples) {
    const labels = grouping(sample.labels, mode, names);
    const key = JSON.stringify(Object.entries(labels).sort());
    const group = groups.get(key) ?? { labels, values: [] };
    group.values.push(sample.value);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, value: aggregate(g.values) }));
}

function evaluateShape(expr: string, select: Select): EvaluatedSample[] | undefined {
  const m = SHAPE.exec(expr);
  if (!m?.[5]) return undefined;
  const [, agg, mode, groupLabels, fn, selector, window, arg, close1, close2] = m;
  const closes = (close1 ? 1 : 0) + (close2 ? 1 : 0);
  if (closes !== (agg ? 1 : 0) + (fn ? 1 : 0)) return undefined;
  const range = fn ? RANGE_FUNCTIONS[fn] : undefined;
  if (fn && (!range || !window)) return undefined;
  if (!fn && window) return undefined;
  if ((arg !== undefined) !== (fn === 'predict_linear')) return undefined;

  // The argument is a number or a product of numbers (`4 * 3600`), as predict_linear horizons are written.
  const argument = (arg ?? '0').split('*').reduce((product, factor) => product * Number(factor), 1);
  const windowSeconds = window ? Math.min(seconds(window), SERIES_HISTORY_SECONDS) : 0;
  const samples = select(selector).map((s): EvaluatedSample => {
    const labels = { __name__: s.metric, ...s.labels };
    if (!range) return { labels, value: valueNow(s) };
    const { __name__: _, ...rest } = labels;
    return { labels: rest, value: range(valueNow(s), s.perSecond ?? 0, windowSeconds, argument) };
  });
  return agg ? aggregateSamples(samples, agg, mode, groupLabels) : samples;
}
