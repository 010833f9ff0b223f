// Built-in signatures for node health: disk, memory fragmentation, readiness, pressure, load.
import type { Signature } from '../signature.js';

export const NODE_HEALTH_SIGNATURES: readonly Signature[] = [];
