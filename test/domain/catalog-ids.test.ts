// The built-in ids are a stable API: every id of the field guide's INDEX.md ships, and anything more is declared.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';

/** The "Signature catalog" of ../shared/field-guide/INDEX.md: filters and dashboards depend on these ids. */
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
];

const INDEX_MD = fileURLToPath(new URL('../../../shared/field-guide/INDEX.md', import.meta.url));

/** Backquoted ids in the first column of the tables below "## Signature catalog". */
function indexIds(markdown: string): string[] {
  const catalog = markdown.slice(markdown.indexOf('## Signature catalog'));
  return catalog
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1] ?? ''));
}

describe('built-in signature ids', () => {
  const builtIn = BUILT_IN_SIGNATURES.map((s) => s.id);

  it('include every id of the field guide index', () => {
    expect(INDEX_IDS).toHaveLength(40);
    expect(builtIn).toEqual(expect.arrayContaining(INDEX_IDS));
  });

  it('are the index ids plus the declared extensions, each once', () => {
    expect(new Set(builtIn).size).toBe(builtIn.length);
    expect([...builtIn].sort()).toEqual([...INDEX_IDS, ...EXTENSION_IDS].sort());
    expect(EXTENSION_IDS.filter((id) => INDEX_IDS.includes(id))).toEqual([]);
  });

  it.skipIf(!existsSync(INDEX_MD))(
    'list the index as INDEX.md has it, where the field guide is checked out',
    () => {
      expect(indexIds(readFileSync(INDEX_MD, 'utf8')).sort()).toEqual([...INDEX_IDS].sort());
    },
  );
});
