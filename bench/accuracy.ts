// `npm run accuracy`: top-1 accuracy, confident-wrong count and a per-signature table over events/scenarios.
import { runAccuracy } from './accuracy-lib.js';

const report = await runAccuracy();
const bySignature = new Map<string, { total: number; right: number }>();
for (const r of report.results) {
  const key = r.expected ?? '(no match expected)';
  const row = bySignature.get(key) ?? { total: 0, right: 0 };
  row.total += 1;
  if (r.correct) row.right += 1;
  bySignature.set(key, row);
}

const lines = [
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
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = report.top1 >= 0.95 && report.confidentWrong === 0 ? 0 : 1;
