// Renders scenario series as timestamped OpenMetrics text, the input of `promtool tsdb create-blocks-from openmetrics`.
import { type ScenarioSeries, SERIES_HISTORY_SECONDS } from '../../src/local/cluster/scenario.js';

/** node-exporter and kube-state-metrics are scraped every 15 to 30 s; 15 s gives rate() plenty of samples. */
export const SAMPLE_INTERVAL_SECONDS = 15;
/**
 * Samples also run this far past "now": the service sends instant queries without `time=`, so Prometheus evaluates
 * them at its own clock, which keeps moving while a test runs; the 5-minute lookback then always finds a sample.
 */
export const FUTURE_SECONDS = 30 * 60;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labelText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

/**
 * One metric family per name (OpenMetrics wants a family's samples together), typed `unknown` so names need no
 * `_total` suffix. Sample t holds `value + perSecond * (t - start)`, start being SERIES_HISTORY_SECONDS before
 * `nowSeconds`: the same straight line the stand-in evaluates. The last duplicate of a series wins.
 */
export function renderOpenMetrics(series: readonly ScenarioSeries[], nowSeconds: number): string {
  const families = new Map<string, Map<string, ScenarioSeries>>();
  for (const s of series) {
    const family = families.get(s.metric) ?? new Map<string, ScenarioSeries>();
    family.set(labelText(s.labels), s);
    families.set(s.metric, family);
  }
  const start = Math.floor(nowSeconds) - SERIES_HISTORY_SECONDS;
  const end = Math.floor(nowSeconds) + FUTURE_SECONDS;
  const lines: string[] = [];
  for (const [metric, family] of families) {
    lines.push(`# TYPE ${metric} unknown`);
    for (const [labels, s] of family) {
      for (let t = start; t <= end; t += SAMPLE_INTERVAL_SECONDS) {
        lines.push(`${metric}${labels} ${s.value + (s.perSecond ?? 0) * (t - start)} ${t}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
