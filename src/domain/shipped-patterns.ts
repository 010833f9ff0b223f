// The patterns of the built-in signatures: reviewed code, the only ones that may run without passing the regex guard.
import { BUILT_IN_SIGNATURES } from './catalog/index.js';

let shipped: ReadonlySet<string> | undefined;

/** Built lazily: the catalog imports modules that import this one's users. */
export function isShippedPattern(pattern: string): boolean {
  shipped ??= new Set(
    BUILT_IN_SIGNATURES.flatMap((s) => [
      ...s.all,
      ...(s.any ?? []),
      ...(s.none ?? []),
      ...(s.support ?? []),
      ...(s.ambiguous ?? []).flatMap((a) => a.when),
    ])
      .filter((c) => c.op === 'matches' || c.op === 'notMatches')
      .map((c) => ('pattern' in c ? c.pattern : '')),
  );
  return shipped.has(pattern);
}
