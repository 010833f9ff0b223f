// Built-in signatures for scheduling, image pulls, container start-up and pod deletion.
import type { Signature } from '../signature.js';

export const SCHEDULING_IMAGE_SIGNATURES: readonly Signature[] = [];
