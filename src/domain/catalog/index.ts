// The built-in playbook: every signature of the field-guide catalog (ids are stable API), as one typed data table.
import type { Signature } from '../signature.js';
import { NETWORK_SIGNATURES } from './network.js';
import { NODE_HEALTH_SIGNATURES } from './node-health.js';
import { SCHEDULING_IMAGE_SIGNATURES } from './scheduling-images.js';
import { TERMINATION_SIGNATURES } from './terminations.js';

export const BUILT_IN_SIGNATURES: readonly Signature[] = [
  ...TERMINATION_SIGNATURES,
  ...NETWORK_SIGNATURES,
  ...NODE_HEALTH_SIGNATURES,
  ...SCHEDULING_IMAGE_SIGNATURES,
];
