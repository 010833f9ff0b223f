// The regular-expression syntax that `new RegExp(p, 'i')` accepts (non-unicode, Annex B), read into a small tree,
// and sets of characters with a case-insensitive overlap test: what regex-safety.ts needs to judge a pattern.

/** A set of UTF-16 code units: the union of parts (each a range list, maybe negated), maybe negated itself. */
export interface CharSet {
  readonly parts: readonly {
    readonly ranges: readonly (readonly [number, number])[];
    readonly negated: boolean;
  }[];
  readonly negated: boolean;
}

export type Node =
  | { readonly kind: 'char'; readonly set: CharSet }
  | { readonly kind: 'assert' }
  | { readonly kind: 'backreference' }
  | {
      readonly kind: 'group';
      readonly alternatives: readonly Term[][];
      readonly lookaround: boolean;
      /** A lookbehind: V8 matches its content right to left, from the current position back. */
      readonly behind?: boolean;
    };

export interface Term {
  readonly node: Node;
  readonly min: number;
  readonly max: number;
}

const range = (lo: number, hi = lo): readonly [number, number] => [lo, hi];
const set = (ranges: readonly (readonly [number, number])[], negated = false): CharSet => ({
  parts: [{ ranges, negated: false }],
  negated,
});

const DIGIT = [range(48, 57)];
const WORD = [range(48, 57), range(65, 90), range(95), range(97, 122)];
const SPACE = [
  range(9, 13),
  range(32),
  range(0xa0),
  range(0x1680),
  range(0x2000, 0x200a),
  range(0x2028, 0x2029),
  range(0x202f),
  range(0x205f),
  range(0x3000),
  range(0xfeff),
];
const LINE_TERMINATORS = [range(10), range(13), range(0x2028, 0x2029)];
const CLASS_ESCAPES: Record<string, CharSet> = {
  d: set(DIGIT),
  D: set(DIGIT, true),
  w: set(WORD),
  W: set(WORD, true),
  s: set(SPACE),
  S: set(SPACE, true),
};
const DOT = set(LINE_TERMINATORS, true);
const SIMPLE_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };

/** A recursive-descent reader for the (non-unicode, Annex B) syntax that `new RegExp(p, 'i')` accepted. */
class Parser {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): Term[][] {
    const alternatives = this.alternatives();
    if (this.i < this.p.length) throw new SyntaxError('unbalanced parenthesis');
    return alternatives;
  }

  private alternatives(): Term[][] {
    const out: Term[][] = [this.sequence()];
    while (this.p[this.i] === '|') {
      this.i += 1;
      out.push(this.sequence());
    }
    return out;
  }

  private sequence(): Term[] {
    const terms: Term[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const node = this.atom();
      const [min, max] = this.quantifier();
      terms.push({ node, min, max });
    }
    return terms;
  }

  private atom(): Node {
    const c = this.p[this.i] as string;
    this.i += 1;
    if (c === '^' || c === '$') return { kind: 'assert' };
    if (c === '.') return { kind: 'char', set: DOT };
    if (c === '[') return { kind: 'char', set: this.charClass() };
    if (c === '(') return this.group();
    if (c === '\\') return this.escape();
    return { kind: 'char', set: set([range(c.charCodeAt(0))]) };
  }

  private group(): Node {
    let lookaround = false;
    let behind = false;
    if (this.p.startsWith('?:', this.i)) this.i += 2;
    else if (this.p.startsWith('?=', this.i) || this.p.startsWith('?!', this.i)) {
      this.i += 2;
      lookaround = true;
    } else if (this.p.startsWith('?<=', this.i) || this.p.startsWith('?<!', this.i)) {
      this.i += 3;
      lookaround = true;
      behind = true;
    } else if (/^\?<[A-Za-z_$][A-Za-z0-9_$]*>/.test(this.p.slice(this.i))) {
      this.i = this.p.indexOf('>', this.i) + 1;
    } else if (this.p[this.i] === '?') {
      // Modifiers like (?i:…) and whatever syntax comes next: not read here, so not judged safe.
      throw new SyntaxError(`the group syntax "(${this.p.slice(this.i, this.i + 3)}" is not supported`);
    }
    const alternatives = this.alternatives();
    if (this.p[this.i] !== ')') throw new SyntaxError('unbalanced parenthesis');
    this.i += 1;
    return { kind: 'group', alternatives, lookaround, behind };
  }

  private escape(): Node {
    const c = this.p[this.i] ?? '\\';
    this.i += 1;
    if (c === 'b' || c === 'B') return { kind: 'assert' };
    if (/[1-9]/.test(c) || (c === 'k' && this.p[this.i] === '<')) return { kind: 'backreference' };
    const cls = CLASS_ESCAPES[c];
    if (cls) return { kind: 'char', set: cls };
    return { kind: 'char', set: set([range(this.escapedUnit(c))]) };
  }

  /** The code unit of a character escape whose letter was just read (\n, \x41, \u0041, \cJ, \.). */
  private escapedUnit(c: string): number {
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return simple;
    const hex = (n: number) => {
      const digits = this.p.slice(this.i, this.i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) return undefined;
      this.i += n;
      return Number.parseInt(digits, 16);
    };
    if (c === 'x') return hex(2) ?? c.charCodeAt(0);
    if (c === 'u') return hex(4) ?? c.charCodeAt(0);
    if (c === 'c' && /[a-zA-Z]/.test(this.p[this.i] ?? '')) {
      this.i += 1;
      return (this.p.charCodeAt(this.i - 1) ?? 0) % 32;
    }
    return c.charCodeAt(0);
  }

  private charClass(): CharSet {
    const negated = this.p[this.i] === '^';
    if (negated) this.i += 1;
    const parts: CharSet['parts'][number][] = [];
    const ranges: (readonly [number, number])[] = [];
    // Reads one class member: a code unit, or a class escape like \d (which cannot bound a range).
    const member = (): number | CharSet => {
      const c = this.p[this.i] as string;
      this.i += 1;
      if (c !== '\\') return c.charCodeAt(0);
      const e = this.p[this.i] ?? '\\';
      this.i += 1;
      if (e === 'b') return 8;
      return CLASS_ESCAPES[e] ?? this.escapedUnit(e);
    };
    while (this.i < this.p.length && this.p[this.i] !== ']') {
      const from = member();
      if (typeof from !== 'number') {
        parts.push(...from.parts.map((part) => ({ ...part, negated: part.negated !== from.negated })));
        continue;
      }
      if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.i + 1 < this.p.length) {
        const save = this.i;
        this.i += 1;
        const to = member();
        if (typeof to === 'number') {
          ranges.push(range(from, to));
          continue;
        }
        this.i = save;
      }
      ranges.push(range(from));
    }
    this.i += 1; // the closing ]
    parts.push({ ranges, negated: false });
    return { parts, negated };
  }

  private quantifier(): [number, number] {
    const c = this.p[this.i];
    let bounds: [number, number] | undefined;
    if (c === '*') bounds = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') bounds = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') bounds = [0, 1];
    if (bounds) this.i += 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) return [1, 1]; // Annex B: a brace that is not a quantifier is a literal, read as an atom next.
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      this.i += m[0].length;
      bounds = [min, max];
    }
    if (!bounds) return [1, 1];
    if (this.p[this.i] === '?') this.i += 1; // lazy: same worst case as greedy
    return bounds;
  }
}

// ---- character-set overlap, case-insensitively (patterns are compiled with the i flag) ----

function rawMember(s: CharSet, unit: number): boolean {
  const inParts = s.parts.some(
    (part) => part.negated !== part.ranges.some(([lo, hi]) => unit >= lo && unit <= hi),
  );
  return inParts !== s.negated;
}

function caseVariants(unit: number): number[] {
  const ch = String.fromCharCode(unit);
  const out = [unit];
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if (v.length === 1) out.push(v.charCodeAt(0));
  return out;
}

const member = (s: CharSet, unit: number) => caseVariants(unit).some((u) => rawMember(s, u));

/** Code units that decide whether two interval-union sets meet: every boundary, its neighbours, a few others. */
function samples(sets: readonly CharSet[]): number[] {
  const out = new Set<number>([0x4e2d, 0xe9, 0xd800, 0xfffe, 0xffff]);
  for (let u = 0; u < 256; u += 1) out.add(u);
  for (const r of SPACE) for (const u of r) out.add(u);
  for (const s of sets)
    for (const part of s.parts)
      for (const [lo, hi] of part.ranges)
        for (const u of [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1])
          if (u >= 0 && u <= 0xffff) for (const v of caseVariants(u)) out.add(v);
  return [...out];
}

/** Whether `s` shares a character with any of `open`, ignoring case. */
export function overlaps(open: readonly CharSet[], s: CharSet): boolean {
  if (open.length === 0) return false;
  const units = samples([...open, s]);
  return open.some((o) => units.some((u) => member(o, u) && member(s, u)));
}

/** The union of sets; a negated set of several parts is widened to everything, which only adds overlaps. */
export const union = (sets: readonly CharSet[]): CharSet => ({
  parts: sets.flatMap((s) => {
    if (!s.negated) return s.parts;
    const [only, ...rest] = s.parts;
    return only && rest.length === 0
      ? [{ ranges: only.ranges, negated: !only.negated }]
      : [{ ranges: [range(0, 0xffff)], negated: false }];
  }),
  negated: false,
});

/** The alternatives of a pattern that compiled; throws SyntaxError on what it cannot read. */
export function parseRegex(pattern: string): Term[][] {
  return new Parser(pattern).parse();
}
