// PromQL through the stand-in's service proxy: instant queries answered from a scenario's series.
import { HttpAnswer } from './kubernetes-answers.js';
import { scanTopLevel } from './promql-binary.js';
import { type EvaluatedSample, evaluate } from './promql-eval.js';
import { type ScenarioSeries, SERIES_HISTORY_SECONDS } from './scenario.js';

interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

const promError = (error: string) => new HttpAnswer(400, { status: 'error', errorType: 'bad_data', error });
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const OPERATOR_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

const unexpected = (q: string, at: number) =>
  promError(`parse error: unexpected ${JSON.stringify(q.slice(at).trimStart().charAt(0))} in label matching`);

function parseMatchers(q: string, start: number): Matcher[] {
  const matchers: Matcher[] = [];
  const re = /\s*(?:([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*(,)?|(\}))/y;
  re.lastIndex = start + 1;
  for (;;) {
    const at = re.lastIndex;
    const m = re.exec(q);
    if (!m) throw unexpected(q, at);
    if (m[5]) return matchers;
    const raw = m[3] ?? '""';
    const value = raw.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
    matchers.push({ label: m[1] ?? '', op: m[2] as Matcher['op'], value });
    if (!m[4] && q[re.lastIndex] !== '}') throw unexpected(q, re.lastIndex);
  }
}

/** The first vector selector of a PromQL expression as matchers, its metric name as `__name__`; null if none. */
function firstSelector(q: string): Matcher[] | null {
  // Strings, range/subquery brackets and numbers are skipped whole; identifiers are tested; anything else is one char.
  const token =
    /\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\[[^\]]*\]|[0-9.][\w.+]*|([a-zA-Z_:][\w:]*)|(\{)|.)/gy;
  for (let m = token.exec(q); m; m = token.exec(q)) {
    if (m[2]) return parseMatchers(q, token.lastIndex - 1);
    const ident = m[1];
    if (!ident) continue;
    const rest = q.slice(token.lastIndex).trimStart();
    if (LABEL_LIST_KEYWORDS.has(ident)) {
      if (rest.startsWith('(')) token.lastIndex = q.indexOf(')', token.lastIndex) + 1 || q.length;
    } else if (!OPERATOR_KEYWORDS.has(ident) && !rest.startsWith('(') && !/^(by|without)\b/.test(rest)) {
      const name: Matcher = { label: '__name__', op: '=', value: ident };
      return rest.startsWith('{') ? [name, ...parseMatchers(q, q.indexOf('{', token.lastIndex))] : [name];
    }
  }
  return null;
}

/** A label-set predicate; regexes are compiled here, so a bad one is a 400 even when no series has the metric. */
function predicate(m: Matcher): (labels: Readonly<Record<string, string>>) => boolean {
  if (m.op === '=') return (labels) => (labels[m.label] ?? '') === m.value;
  if (m.op === '!=') return (labels) => (labels[m.label] ?? '') !== m.value;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`);
  } catch {
    throw promError(`parse error: invalid regular expression ${JSON.stringify(m.value)}`);
  }
  return (labels) => re.test(labels[m.label] ?? '') === (m.op === '=~');
}

function promValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

/** Splits `a or b or c` at the top level (outside parentheses, braces and strings). */
function splitOr(q: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scanTopLevel(q, (i) => {
    if (!/^\sor\s/.test(q.slice(i, i + 4))) return undefined;
    parts.push(q.slice(start, i));
    start = i + 4;
    return 3;
  });
  parts.push(q.slice(start));
  return parts.map((p) => p.trim());
}

const LABEL_REPLACE =
  /^label_replace\(([\s\S]*),\s*"([a-zA-Z_]\w*)"\s*,\s*"([^"]*)"\s*,\s*"[^"]*"\s*,\s*"[^"]*"\s*\)$/;

/** The samples a query yields; a shape evaluate() does not know is answered by its first selector's values now. */
function answer(series: readonly ScenarioSeries[], query: string): readonly EvaluatedSample[] | HttpAnswer {
  const select = (text: string) => {
    const matchers = firstSelector(text);
    if (!matchers || matchers.length === 0)
      throw promError(`parse error: no vector selector in ${JSON.stringify(text)}`);
    const tests = matchers.map(predicate);
    return series.filter((s) => tests.every((test) => test({ __name__: s.metric, ...s.labels })));
  };
  try {
    return (
      evaluate(query, select) ??
      select(query).map((s) => ({
        labels: { __name__: s.metric, ...s.labels },
        value: s.value + (s.perSecond ?? 0) * SERIES_HISTORY_SECONDS,
      }))
    );
  } catch (error) {
    if (error instanceof HttpAnswer) return error;
    throw error;
  }
}

/** `label_replace(<query>, "key", "name", "", "") or ...`: each part's samples, labelled with its key. */
function taggedUnion(series: readonly ScenarioSeries[], parts: readonly string[], at: number): HttpAnswer {
  const result: { metric: Record<string, string>; value: [number, string] }[] = [];
  for (const part of parts) {
    const m = LABEL_REPLACE.exec(part);
    if (!m?.[1] || !m[2]) return promError(`parse error: unsupported expression ${JSON.stringify(part)}`);
    const samples = answer(series, m[1]);
    if (samples instanceof HttpAnswer) return samples;
    for (const sample of samples) {
      const metric = { ...sample.labels, [m[2]]: m[3] ?? '' };
      result.push({ metric, value: [at, promValue(sample.value)] });
    }
  }
  return new HttpAnswer(200, { status: 'success', data: { resultType: 'vector', result } });
}

export function promQuery(series: readonly ScenarioSeries[], params: URLSearchParams): HttpAnswer {
  const query = params.get('query');
  if (!query) return promError('invalid parameter "query": parse error: no expression found in input');
  const time = params.get('time') ?? '';
  const at = Number(time) || Date.parse(time) / 1000 || Date.now() / 1000;
  if (query.trimStart().startsWith('label_replace(')) return taggedUnion(series, splitOr(query), at);
  const samples = answer(series, query);
  if (samples instanceof HttpAnswer) return samples;
  const result = samples.map((s) => ({ metric: s.labels, value: [at, promValue(s.value)] }));
  return new HttpAnswer(200, { status: 'success', data: { resultType: 'vector', result } });
}
