// Built-in signatures for scheduling, image pulls, container start-up and pod deletion.
import type { Signature } from '../signature.js';
import { IMAGE_SIGNATURES } from './images.js';
import { SANDBOX_DELETION_SIGNATURES } from './sandbox-deletion.js';
import { SCHEDULING_SIGNATURES } from './scheduling.js';

export const SCHEDULING_IMAGE_SIGNATURES: readonly Signature[] = [
  ...SCHEDULING_SIGNATURES,
  ...IMAGE_SIGNATURES,
  ...SANDBOX_DELETION_SIGNATURES,
];
