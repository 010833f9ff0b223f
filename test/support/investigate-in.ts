// One webhook investigated against its own Kubernetes stand-in (with an optional fault): the findings, the
// context they came from and every request the cluster saw.
import { loadConfig } from '../../src/config.js';
import { resolveTarget, WebhookSchema } from '../../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { type Fault, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import type { ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { investigate } from '../../src/triage/investigate.js';
import { buildInspector } from '../../src/wiring.js';

export async function investigateIn(cluster: ScenarioCluster, webhook: unknown, fault?: Fault) {
  const k8s = await startKubernetesStandIn({ cluster });
  if (fault) k8s.addFault(fault);
  try {
    // As the accuracy run: generous per-call timeouts, so a loaded machine never turns slow answers into evidence.
    const inspector = buildInspector(
      loadConfig({ CLUSTER_PROXY_URL: k8s.url, CLUSTER_CALL_TIMEOUT_MS: '15000' }, 'local'),
    );
    const alert = WebhookSchema.parse(webhook).alerts[0];
    if (!alert) throw new Error('no alert');
    const { findings, context } = await investigate(alert, resolveTarget(alert.labels), {
      inspector,
      signatures: BUILT_IN_SIGNATURES,
      now: () => new Date(alert.startsAt),
    });
    return { findings, context, requests: [...k8s.requests], calls: k8s.requests.length };
  } finally {
    await k8s.close();
  }
}
