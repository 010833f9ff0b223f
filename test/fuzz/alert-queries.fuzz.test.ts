// Any label value an alert carries reaches Prometheus as exactly that value, or not at all: never as query syntax.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { alertQueries } from '../../src/domain/alert-queries.js';
import { type KubernetesStandIn, startKubernetesStandIn } from '../../src/local/cluster/kubernetes-api.js';
import { buildInspector } from '../../src/wiring.js';

const NODE = 'ip-10-40-13-22.eu-west-1.compute.internal';
let k8s: KubernetesStandIn;
beforeAll(async () => {
  k8s = await startKubernetesStandIn();
});
afterAll(async () => {
  await k8s.close();
});

/** Quotes, backslashes, braces, PromQL keywords, non-ASCII and control characters. */
const mountpoint = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.stringMatching(/^[/"\\{}=~!,a-z() \n\t]{1,30}$/),
  fc.constantFrom('/var/lib/containerd', '/"} or vector(1) #', '\\', '"', "/a'b", '/\u0000x', '/ü/ß'),
);

describe('alert query parameters', () => {
  it('select the series with exactly the alert label value, and a value with control characters is never sent', async () => {
    const inspector = buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url }, 'local'));
    await fc.assert(
      fc.asyncProperty(mountpoint, async (value) => {
        const labels = { job: 'node-exporter', instance: NODE, device: '/dev/nvme1n1' };
        k8s.load({
          prometheus: {
            series: [
              { metric: 'node_filesystem_avail_bytes', labels: { ...labels, mountpoint: value }, value: 42 },
              {
                metric: 'node_filesystem_avail_bytes',
                labels: { ...labels, mountpoint: `${value}x` },
                value: 7,
              },
            ],
          },
        });
        const queries = alertQueries(
          { alertname: 'NodeFilesystemAlmostOutOfSpace', ...labels, mountpoint: value },
          { kind: 'node', node: NODE },
          NODE,
          undefined,
        );
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be sent.
        const sendable = value !== '' && !/[\u0000-\u001f\u007f]/.test(value);
        expect(queries.some((q) => q.key === 'fsAvailBytes')).toBe(sendable);
        if (!sendable) return;
        const values = await inspector.metrics(queries);
        expect(values.fsAvailBytes).toBe(42);
      }),
      { seed: 1313, numRuns: 150 },
    );
  });
});
