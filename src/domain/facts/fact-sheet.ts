// The fact model and the sheet that collects facts while a context is read.
import type { ContainerSnapshot, EventSnapshot, Piece, TriageContext } from '../context.js';
import type { EvidenceSource } from '../signature.js';

export interface TextItem {
  readonly text: string;
  readonly source: EvidenceSource;
}

export type Fact =
  | {
      readonly kind: 'value';
      readonly value: string | number | boolean;
      readonly source: EvidenceSource;
      /** Formatted only when a finding cites it: most facts of a context are never quoted. */
      readonly quote: () => string;
    }
  | { readonly kind: 'texts'; readonly items: readonly TextItem[]; readonly source: EvidenceSource }
  | { readonly kind: 'unknown'; readonly reason: string };

export type Facts = ReadonlyMap<string, Fact>;

export class FactSheet {
  readonly facts = new Map<string, Fact>();

  value(
    name: string,
    value: string | number | boolean | undefined,
    source: EvidenceSource,
    quote: () => string,
  ): void {
    if (value !== undefined) this.facts.set(name, { kind: 'value', value, source, quote });
  }

  texts(name: string, items: readonly TextItem[], source: EvidenceSource): void {
    this.facts.set(name, { kind: 'texts', items, source });
  }

  /** Marks the named facts unknown when their source piece could not be read; true if it did. */
  unknown(names: readonly string[], piece: Piece<unknown>, what: string): boolean {
    if (piece.status !== 'unavailable') return false;
    for (const name of names)
      this.facts.set(name, { kind: 'unknown', reason: `${what} unavailable: ${piece.reason}` });
    return true;
  }
}

/** The failing container: the alert's, else the one in trouble, else the only one. */
export function focusContainer(context: TriageContext): ContainerSnapshot | undefined {
  if (context.pod.status !== 'ok') return undefined;
  const all = [...context.pod.value.containers, ...context.pod.value.initContainers];
  const named = context.target.container ? all.find((c) => c.name === context.target.container) : undefined;
  return (
    named ??
    all.find((c) => c.waiting || c.lastTerminated || (c.terminated && c.terminated.exitCode !== 0)) ??
    all.find((c) => !c.ready) ??
    context.pod.value.containers[0]
  );
}

export function eventText(e: EventSnapshot): string {
  const times = e.count > 1 ? ` (x${e.count})` : '';
  return `${e.type} ${e.reason}${times}: ${e.message}`;
}

export function nodeNameOf(context: TriageContext): string {
  if (context.node.status === 'ok') return context.node.value.name;
  if (context.pod.status === 'ok' && context.pod.value.nodeName) return context.pod.value.nodeName;
  return context.target.node ?? 'the node';
}

export function secondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : undefined;
}
