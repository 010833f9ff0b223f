// The effective playbook: built-in signatures with operators' overrides, custom additions and disabled ones applied.
import type { Signature } from './signature.js';

/** What operators stored for one id: a signature (custom or override) or a tombstone that disables a built-in. */
export type PlaybookEntry =
  | {
      readonly id: string;
      readonly kind: 'signature';
      readonly signature: Signature;
      readonly updatedAt: string;
    }
  | { readonly id: string; readonly kind: 'disabled'; readonly updatedAt: string };

export interface PlaybookItem {
  readonly id: string;
  readonly source: 'built-in' | 'override' | 'custom';
  readonly enabled: boolean;
  readonly signature: Signature;
  readonly updatedAt?: string;
}

export function effectivePlaybook(
  builtIns: readonly Signature[],
  entries: readonly PlaybookEntry[],
): PlaybookItem[] {
  const stored = new Map(entries.map((e) => [e.id, e]));
  const items: PlaybookItem[] = builtIns.map((signature) => {
    const entry = stored.get(signature.id);
    if (!entry) return { id: signature.id, source: 'built-in', enabled: true, signature };
    if (entry.kind === 'disabled')
      return { id: signature.id, source: 'built-in', enabled: false, signature, updatedAt: entry.updatedAt };
    return {
      id: signature.id,
      source: 'override',
      enabled: true,
      signature: entry.signature,
      updatedAt: entry.updatedAt,
    };
  });
  const builtInIds = new Set(builtIns.map((s) => s.id));
  for (const entry of entries) {
    if (builtInIds.has(entry.id) || entry.kind !== 'signature') continue;
    items.push({
      id: entry.id,
      source: 'custom',
      enabled: true,
      signature: entry.signature,
      updatedAt: entry.updatedAt,
    });
  }
  return items.sort((a, b) => a.id.localeCompare(b.id));
}

export function activeSignatures(items: readonly PlaybookItem[]): Signature[] {
  return items.filter((i) => i.enabled).map((i) => i.signature);
}
