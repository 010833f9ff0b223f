// `npm run accuracy`: top-1 accuracy, confident-wrong count and per-signature tables; written, field and holdout corpora apart.
// `npm run accuracy -- --prometheus=real`: the metric queries answered by a real Prometheus over the same series
// (needs Debian's prometheus package), with every difference from the stand-in run listed.

import { FIELD_SCENARIO_DIR, HOLDOUT_SCENARIO_DIR, SCENARIO_DIR } from '../src/local/cluster/scenarios.js';
import { compareRuns } from './accuracy-compare.js';
import {
  type AccuracyReport,
  type PrometheusMode,
  runAccuracy,
  type ScenarioResult,
} from './accuracy-lib.js';

const flag =
  process.argv.find((a) => a.startsWith('--prometheus='))?.slice('--prometheus='.length) ?? 'standin';
if (flag !== 'standin' && flag !== 'real') {
  process.stderr.write(`--prometheus must be standin or real, got ${flag}\n`);
  process.exit(2);
}
const mode: PrometheusMode = flag;

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
  const families = groupBy(report.results, (r) => r.family);
  lines.push(
    '| alert family (subject) | scenarios | subject found | top-1 right | confident-wrong |',
    '|---|---|---|---|---|',
    ...[...families]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([family, rs]) =>
          `| ${family} | ${rs.length} | ${rs.filter((r) => r.subjectFound).length} | ${rs.filter((r) => r.correct).length} | ${rs.filter((r) => r.confidentWrong).length} |`,
      ),
    '',
  );
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

/** A corpus in the chosen mode; against a real Prometheus, also the differences from the stand-in run. */
async function measure(dir: string): Promise<{ report: AccuracyReport; differences: string[] }> {
  const report = await runAccuracy({ mode, dir });
  const differences = mode === 'real' ? compareRuns(await runAccuracy({ dir }), report) : [];
  return { report, differences };
}

const written = await measure(SCENARIO_DIR);
const field = await measure(FIELD_SCENARIO_DIR);
const holdout = await measure(HOLDOUT_SCENARIO_DIR);
const differenceLines = (d: readonly string[]) =>
  mode === 'real' ? ['', `differences from the stand-in run: ${d.length}`, ...d.map((x) => `  ${x}`)] : [];
const lines = [
  `metrics answered by: ${mode === 'real' ? 'a real Prometheus (backfilled scenario series)' : 'the Kubernetes stand-in'}`,
  '',
  ...section('Written scenarios (events/scenarios)', written.report, false),
  ...differenceLines(written.differences),
  '',
  ...section('Field scenarios (events/field, rebuilt from public bug reports)', field.report, true),
  ...differenceLines(field.differences),
  '',
  ...section(
    'Holdout scenarios (events/holdout, public reports of classes the field corpus lacks)',
    holdout.report,
    true,
  ),
  ...differenceLines(holdout.differences),
];
process.stdout.write(`${lines.join('\n')}\n`);
const met = (r: { report: AccuracyReport; differences: string[] }) =>
  r.report.top1 >= 0.95 && r.report.confidentWrong === 0 && r.differences.length === 0;
process.exitCode = met(written) && met(field) && met(holdout) ? 0 : 1;
