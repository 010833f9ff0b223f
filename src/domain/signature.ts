// Signatures are data: the conditions that prove a failure, the evidence they quote, the remediation they render.
import type { SubjectKind } from './context.js';

/** The subjects a signature can answer (an alert whose subject is `none` gets no diagnosis). */
export type SignatureTarget = Exclude<SubjectKind, 'none'>;
export const SIGNATURE_TARGETS = [
  'pod',
  'workload',
  'pvc',
  'node',
  'namespace',
  'cluster',
] as const satisfies readonly SignatureTarget[];

export type Confidence = 'high' | 'medium' | 'low';
export type EvidenceSource =
  | 'alert'
  | 'pod.status'
  | 'events'
  | 'node'
  | 'peers'
  | 'metrics'
  | 'logs'
  | 'services'
  | 'workload'
  | 'volume'
  | 'quota'
  | 'cluster';

export type Condition = (
  | { readonly fact: string; readonly op: 'eq' | 'neq'; readonly value: string | number | boolean }
  | { readonly fact: string; readonly op: 'in' | 'notIn'; readonly values: readonly (string | number)[] }
  | { readonly fact: string; readonly op: 'gte' | 'gt' | 'lte' | 'lt'; readonly value: number }
  | { readonly fact: string; readonly op: 'matches' | 'notMatches'; readonly pattern: string }
  | { readonly fact: string; readonly op: 'exists' | 'absent' }
) & {
  /** When the fact's source could not be read: the signature may still match, one confidence step lower. */
  readonly orUnknown?: boolean;
};

/**
 * Evidence that leaves another cause open. When any of `when` holds, the finding drops one confidence step, its
 * summary names the alternative, and `tellApart` (the step that separates the two) goes first in the remediation.
 */
export interface Ambiguity {
  readonly when: readonly Condition[];
  /** A sentence naming the other cause (and its signature id) the evidence cannot rule out. */
  readonly alternative: string;
  /** Template of the remediation step that tells the two causes apart. */
  readonly tellApart: string;
}

export interface Signature {
  readonly id: string;
  readonly title: string;
  /** Alert names this signature applies to; absent means any alert. */
  readonly alerts?: readonly string[];
  /** The subject kinds it applies to. */
  readonly targets: readonly SignatureTarget[];
  /** Decisive conditions: every one must hold. */
  readonly all: readonly Condition[];
  /** If given, at least one must hold. */
  readonly any?: readonly Condition[];
  /** Exclusions: if one holds, the signature does not match. */
  readonly none?: readonly Condition[];
  /** Corroboration: quoted as evidence when they hold, and they strengthen the ranking. */
  readonly support?: readonly Condition[];
  /** Evidence that cannot separate this cause from another: see Ambiguity. */
  readonly ambiguous?: readonly Ambiguity[];
  readonly confidence: Confidence;
  /** 1-100: how specific a cause this names; a generic signature never outranks a specific one with evidence. */
  readonly specificity: number;
  /**
   * Names how a failure showed (a liveness kill, an exit code, a node gone NotReady), not why. Any matched cause
   * outranks it whatever the confidences, and the cause's finding says it showed this way.
   */
  readonly mechanism?: boolean;
  /** Template: {{namespace}}, {{pod}}, {{container}}, {{node}}, {{workload}} and any fact name, e.g. {{container.memoryLimit}}. */
  readonly summary: string;
  readonly remediation: readonly string[];
}

export interface Evidence {
  readonly source: EvidenceSource;
  readonly detail: string;
}

export interface Finding {
  readonly signatureId: string;
  readonly title: string;
  readonly confidence: Confidence;
  readonly summary: string;
  readonly evidence: readonly Evidence[];
  readonly remediation: readonly string[];
  /** What the signature would have checked but could not (a piece of context was unavailable). */
  readonly unchecked?: readonly string[];
  /** When the cause is on the node and other pods there fail too: the node is the common factor. */
  readonly correlation?: { readonly node: string; readonly affectedPods: readonly string[] };
  /** When a cause leads: the mechanisms that also matched, as the way it showed (e.g. "Killed by its liveness probe"). */
  readonly shownAs?: readonly string[];
  /** Earlier incidents of this signature on the same workload (filled in by triage from the store). */
  readonly recurrence?: { readonly count: number; readonly lastAt: string };
}
