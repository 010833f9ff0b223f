// The worker's metrics leave as CloudWatch Embedded Metric Format lines, the per-signature count with its dimension.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmfMetrics } from '../../src/adapters/metrics/emf-metrics.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('EmfMetrics', () => {
  it('writes EMF documents with counts and a signature dimension', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = new EmfMetrics();
    metrics.count('AlertsDiagnosed');
    metrics.count('Diagnosis', 1, { name: 'Signature', value: 'conntrack-table-full' });
    metrics.duration('GatherDuration', 12.5);
    metrics.flush();
    const docs = lines
      .join('')
      .split('\n')
      .filter((l) => l.includes('_aws'))
      .map(
        (l) =>
          JSON.parse(l) as Record<string, unknown> & {
            _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
          },
      );
    expect(docs.some((d) => d.AlertsDiagnosed === 1)).toBe(true);
    const bySignature = docs.find((d) => d.Diagnosis === 1);
    expect(bySignature?.Signature).toBe('conntrack-table-full');
    expect(bySignature?._aws.CloudWatchMetrics[0]?.Namespace).toBe('AlertTriage');
    const timed = docs.find((d) => d.GatherDuration === 12.5) as unknown as {
      _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
    };
    expect(timed._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({
      Name: 'GatherDuration',
      Unit: 'Milliseconds',
    });
  });
});
