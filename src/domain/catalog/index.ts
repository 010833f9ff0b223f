// The built-in playbook: the field-guide catalog and its extensions (ids are stable API), as one typed data table.
import type { Signature } from '../signature.js';
import { ALERT_DRIVEN_CLUSTER_SIGNATURES } from './alert-driven-cluster.js';
import { ALERT_DRIVEN_NODE_SIGNATURES } from './alert-driven-node.js';
import { ALERT_DRIVEN_VOLUME_SIGNATURES } from './alert-driven-volumes.js';
import { NETWORK_SIGNATURES } from './network.js';
import { NODE_HEALTH_SIGNATURES } from './node-health.js';
import { POD_CONFIG_SIGNATURES } from './pod-config.js';
import { SCHEDULING_IMAGE_SIGNATURES } from './scheduling-images.js';
import { TERMINATION_SIGNATURES } from './terminations.js';
import { VOLUME_SIGNATURES } from './volumes.js';
import { WORKLOAD_SIGNATURES } from './workloads.js';

export const BUILT_IN_SIGNATURES: readonly Signature[] = [
  ...TERMINATION_SIGNATURES,
  ...NETWORK_SIGNATURES,
  ...NODE_HEALTH_SIGNATURES,
  ...SCHEDULING_IMAGE_SIGNATURES,
  // Beyond the field guide's INDEX.md: start-up failures on-call meets often, grounded in story 002.
  ...POD_CONFIG_SIGNATURES,
  ...VOLUME_SIGNATURES,
  // Alert-driven: the workload alerts of kube-prometheus (field guide INDEX.md, "What real clusters fire").
  ...WORKLOAD_SIGNATURES,
  // INDEX.md "What real clusters fire": the alert names the part of the cluster it is about.
  ...ALERT_DRIVEN_NODE_SIGNATURES,
  ...ALERT_DRIVEN_VOLUME_SIGNATURES,
  ...ALERT_DRIVEN_CLUSTER_SIGNATURES,
];
