// The RBAC the README and the deploy guide document grants every read triage makes over the whole scenario corpus.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { resolveTarget, WebhookSchema } from '../../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { loadScenarios, mergeClusters } from '../../src/local/cluster/scenarios.js';
import { investigate } from '../../src/triage/investigate.js';
import { buildInspector } from '../../src/wiring.js';

interface Rule {
  readonly groups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** The rules of the RBAC YAML in a markdown file: `apiGroups`, `resources`, `verbs` as JSON-style lists. */
function rulesIn(file: string): Rule[] {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  const rules: Rule[] = [];
  const list = (line: string) => JSON.parse(line.slice(line.indexOf('['))) as string[];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!/^\s*- apiGroups: \[/.test(line)) return;
    const resources = lines.slice(i + 1, i + 4).find((l) => /^\s*resources: \[/.test(l));
    const verbs = lines.slice(i + 1, i + 5).find((l) => /^\s*verbs: \[/.test(l));
    if (resources && verbs)
      rules.push({ groups: list(line), resources: list(resources), verbs: list(verbs) });
  });
  return rules;
}

/** What an API path asks for: group, resource (with subresource) and verb. */
function access(path: string): { group: string; resource: string; verb: string } {
  const segs = path.split('/').filter(Boolean);
  const core = segs[0] === 'api';
  const group = core ? '' : (segs[1] ?? '');
  let rest = segs.slice(core ? 2 : 3);
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [resource = '', name, sub] = rest;
  return { group, resource: sub ? `${resource}/${sub}` : resource, verb: name ? 'get' : 'list' };
}

describe('documented RBAC', () => {
  it('grants every API read triage makes for the scenario corpus', async () => {
    const scenarios = loadScenarios();
    const k8s = await startKubernetesStandIn({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
    try {
      const inspector = buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url }, 'local'));
      for (const s of scenarios) {
        const alert = WebhookSchema.parse(s.webhook).alerts[0];
        if (!alert) continue;
        await investigate(alert, resolveTarget(alert.labels), {
          inspector,
          signatures: BUILT_IN_SIGNATURES,
          now: () => new Date(alert.startsAt),
        });
      }
      const needed = new Set(k8s.requests.map((r) => JSON.stringify(access(r.path))));
      expect(needed).toContain(
        JSON.stringify({ group: '', resource: 'persistentvolumeclaims', verb: 'get' }),
      );
      // StatefulSet and DaemonSet revisions are read as ControllerRevisions (one list per workload alert).
      expect(needed).toContain(
        JSON.stringify({ group: 'apps', resource: 'controllerrevisions', verb: 'list' }),
      );
      for (const file of ['README.md', 'docs/deploy.md']) {
        const rules = rulesIn(file);
        const missing = [...needed].filter((n) => {
          const { group, resource, verb } = JSON.parse(n) as ReturnType<typeof access>;
          return !rules.some(
            (r) => r.groups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb),
          );
        });
        expect(missing, file).toEqual([]);
      }
    } finally {
      await k8s.close();
    }
  }, 180_000);
});
