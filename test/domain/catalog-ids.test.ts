// The built-in ids are a stable API: this list is the project's own record of them (filters and dashboards use them).
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';

/** The ids of the field guide's signature catalog (its INDEX.md, read when the catalog was written, not by tests). */
const INDEX_IDS = [
  'container-oom-killed',
  'node-oom-kill',
  'liveness-probe-kill',
  'external-sigkill',
  'app-error-exit',
  'command-not-executable',
  'command-not-found',
  'signal-exit',
  'subpath-configmap-exit-128',
  'config-error',
  'probe-timeout-listen-backlog',
  'probe-timeout-fd-exhaustion',
  'probe-rst-port-range-overlap',
  'probe-timeout-node-overload',
  'probe-misconfigured-slow-start',
  'probe-connection-refused',
  'conntrack-table-full',
  'dns-resolution-failure',
  'dns-5s-latency-conntrack-race',
  'kube-proxy-iptables-mismatch',
  'kube-proxy-xtables-lock',
  'disk-full',
  'memory-fragmentation',
  'node-not-ready',
  'node-pressure',
  'node-high-load',
  'insufficient-resources',
  'untolerated-taint',
  'node-selector-mismatch',
  'volume-zone-conflict',
  'image-not-found',
  'image-pull-unauthorized',
  'registry-tls-untrusted',
  'registry-http-insecure',
  'image-pull-timeout',
  'memory-limit-unit-typo',
  'sandbox-name-conflict',
  'cni-failure',
  'finalizer-blocked',
  'immutable-file-blocks-removal',
];

/**
 * Ids that extend the catalog beyond INDEX.md (docs/decisions.md, "Catalog additions"). They are stable API from
 * the release that adds them; a new built-in id must be listed here, so none arrives by accident.
 */
const EXTENSION_IDS = [
  'config-reference-missing',
  'volume-attached-elsewhere',
  'clean-exit-restart-loop',
  'image-platform-mismatch',
  'pvc-unbound',
];

/**
 * Alert-driven ids for workload alerts, from the field guide's INDEX.md section "What real clusters fire" (read when
 * they were written, not by tests).
 */
const WORKLOAD_ALERT_IDS = ['rollout-stuck', 'job-failed', 'hpa-maxed-out', 'daemonset-not-scheduled'];

/**
 * Ids of the alert-driven signatures in INDEX.md's "What real clusters fire" (the node, volume, namespace and
 * cluster part of issue 13): the alert names what it is about, and these answer it.
 */
const ALERT_DRIVEN_IDS = [
  'cpu-throttling',
  'pvc-filling-up',
  'pvc-inodes-exhausted',
  'node-filesystem-filling',
  'node-inodes-exhausted',
  'node-clock-unsynchronised',
  'node-network-errors',
  'node-fd-limit',
  'kubelet-too-many-pods',
  'quota-exceeded',
  'overcommit',
  'control-plane-not-scraped',
];

describe('built-in signature ids', () => {
  const builtIn = BUILT_IN_SIGNATURES.map((s) => s.id);

  it('include every id of the field guide index', () => {
    expect(INDEX_IDS).toHaveLength(40);
    expect(builtIn).toEqual(expect.arrayContaining(INDEX_IDS));
  });

  it('are the index ids plus the declared extensions, each once', () => {
    expect(new Set(builtIn).size).toBe(builtIn.length);
    expect([...builtIn].sort()).toEqual(
      [...INDEX_IDS, ...EXTENSION_IDS, ...WORKLOAD_ALERT_IDS, ...ALERT_DRIVEN_IDS].sort(),
    );
    expect(EXTENSION_IDS.filter((id) => INDEX_IDS.includes(id))).toEqual([]);
    expect(ALERT_DRIVEN_IDS.filter((id) => INDEX_IDS.includes(id) || EXTENSION_IDS.includes(id))).toEqual([]);
  });
});
