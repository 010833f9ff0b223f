// `npm run accuracy`: top-1 accuracy, confident-wrong count and a per-signature table over events/scenarios.
// `npm run accuracy -- --prometheus=real`: the metric queries answered by a real Prometheus over the same series
// (needs Debian's prometheus package), with every difference from the stand-in run listed.
import { compareRuns } from './accuracy-compare.js';
import { type PrometheusMode, runAccuracy } from './accuracy-lib.js';

const flag =
  process.argv.find((a) => a.startsWith('--prometheus='))?.slice('--prometheus='.length) ?? 'standin';
if (flag !== 'standin' && flag !== 'real') {
  process.stderr.write(`--prometheus must be standin or real, got ${flag}\n`);
  process.exit(2);
}
const mode: PrometheusMode = flag;
const report = await runAccuracy(undefined, mode);
const differences = mode === 'real' ? compareRuns(await runAccuracy(undefined, 'standin'), report) : [];
const bySignature = new Map<string, { total: number; right: number }>();
for (const r of report.results) {
  const key = r.expected ?? '(no match expected)';
  const row = bySignature.get(key) ?? { total: 0, right: 0 };
  row.total += 1;
  if (r.correct) row.right += 1;
  bySignature.set(key, row);
}

const lines = [
  `metrics answered by: ${mode === 'real' ? 'a real Prometheus (backfilled scenario series)' : 'the Kubernetes stand-in'}`,
  `scenarios: ${report.results.length}`,
  `top-1 accuracy: ${(report.top1 * 100).toFixed(1)}% (target >= 95%)`,
  `confident-wrong: ${report.confidentWrong} (target 0)`,
  `cluster calls per alert (mean): ${report.meanClusterCalls.toFixed(1)}`,
  '',
  '| expected signature | scenarios | top-1 right |',
  '|---|---|---|',
  ...[...bySignature]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, row]) => `| ${id} | ${row.total} | ${row.right} |`),
];
const misses = report.results.filter((r) => !r.correct);
if (misses.length > 0) {
  lines.push('', 'misses:');
  for (const r of misses) {
    lines.push(
      `  ${r.id}: expected ${r.expected ?? 'nothing'}, got ${r.top ? `${r.top.signatureId} (${r.top.confidence})` : 'nothing'}`,
    );
  }
}
if (mode === 'real') {
  lines.push(
    '',
    `differences from the stand-in run: ${differences.length}`,
    ...differences.map((d) => `  ${d}`),
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = report.top1 >= 0.95 && report.confidentWrong === 0 && differences.length === 0 ? 0 : 1;
