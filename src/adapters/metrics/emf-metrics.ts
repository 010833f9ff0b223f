// TriageMetrics as CloudWatch EMF through Powertools Metrics (Lambda); a per-signature count uses its own dimension.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TriageMetrics } from '../../ports.js';

export class EmfMetrics implements TriageMetrics {
  private readonly metrics = new Metrics({ namespace: 'AlertTriage', serviceName: 'alert-triage' });

  count(name: string, value = 1, dimension?: { name: string; value: string }): void {
    if (dimension) {
      const single = this.metrics.singleMetric();
      single.addDimension(dimension.name, dimension.value);
      single.addMetric(name, MetricUnit.Count, value);
      return;
    }
    this.metrics.addMetric(name, MetricUnit.Count, value);
  }

  duration(name: string, ms: number): void {
    this.metrics.addMetric(name, MetricUnit.Milliseconds, ms);
  }

  flush(): void {
    this.metrics.publishStoredMetrics();
  }
}
