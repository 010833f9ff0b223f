// `npm run accuracy`: top-1 accuracy, confident-wrong count and per-signature tables, written and field corpora apart.

import { BUILT_IN_SIGNATURES } from '../src/domain/catalog/index.js';
import { FIELD_SCENARIO_DIR, SCENARIO_DIR } from '../src/standins/scenarios.js';
import { type AccuracyReport, runAccuracy, type ScenarioResult } from './accuracy-lib.js';

function table(header: string, rows: Map<string, ScenarioResult[]>): string[] {
  return [
    `| ${header} | scenarios | top-1 right | confident-wrong |`,
    '|---|---|---|---|',
    ...[...rows]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([key, rs]) =>
          `| ${key} | ${rs.length} | ${rs.filter((r) => r.correct).length} | ${rs.filter((r) => r.confidentWrong).length} |`,
      ),
  ];
}

function groupBy(results: readonly ScenarioResult[], key: (r: ScenarioResult) => string) {
  const groups = new Map<string, ScenarioResult[]>();
  for (const r of results) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return groups;
}

function section(title: string, report: AccuracyReport, byClass: boolean): string[] {
  const right = report.results.filter((r) => r.correct).length;
  const lines = [
    `## ${title}`,
    `scenarios: ${report.results.length}`,
    `top-1 accuracy: ${right}/${report.results.length} = ${(report.top1 * 100).toFixed(1)}% (target >= 95%)`,
    `confident-wrong: ${report.confidentWrong} (target 0)`,
    `cluster calls per alert (mean): ${report.meanClusterCalls.toFixed(1)}`,
    '',
  ];
  if (byClass)
    lines.push(
      ...table(
        'class',
        groupBy(report.results, (r) => r.class ?? '(none)'),
      ),
      '',
    );
  lines.push(
    ...table(
      'expected signature',
      groupBy(report.results, (r) => r.expected ?? '(no match expected)'),
    ),
  );
  const misses = report.results.filter((r) => !r.correct);
  if (misses.length > 0) {
    lines.push('', 'misses:');
    for (const r of misses) {
      lines.push(
        `  ${r.id}: expected ${r.expected ?? 'nothing'}, got ${r.top ? `${r.top.signatureId} (${r.top.confidence})` : 'nothing'}`,
      );
    }
  }
  return lines;
}

const written = await runAccuracy(BUILT_IN_SIGNATURES, SCENARIO_DIR);
const field = await runAccuracy(BUILT_IN_SIGNATURES, FIELD_SCENARIO_DIR);
const lines = [
  ...section('Written scenarios (events/scenarios)', written, false),
  '',
  ...section('Field scenarios (events/field, rebuilt from public bug reports)', field, true),
];
process.stdout.write(`${lines.join('\n')}\n`);
const met = (r: AccuracyReport) => r.top1 >= 0.95 && r.confidentWrong === 0;
process.exitCode = met(written) && met(field) ? 0 : 1;
