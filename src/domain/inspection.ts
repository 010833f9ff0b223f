// The result of an on-demand triage of one pod or node (no alert, nothing recorded): what a command answer shows.
import type { Target, TriageContext } from './context.js';
import type { Finding } from './signature.js';

export type Inspection =
  | { readonly found: false; readonly target: Target }
  | {
      readonly found: true;
      readonly target: Target;
      readonly context: TriageContext;
      readonly findings: readonly Finding[];
      /** Pieces of context that could not be read, with the reason. */
      readonly unavailable: readonly string[];
    };
