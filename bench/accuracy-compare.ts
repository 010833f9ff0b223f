// Where a run against a real Prometheus differs from the stand-in run: diagnoses and metric values per scenario.
import type { AccuracyReport } from './accuracy-lib.js';

/** Sloped gauges move with Prometheus's clock while the run goes on; anything past this is a real difference. */
const RELATIVE_TOLERANCE = 1e-3;

function differs(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a !== b;
  return Math.abs(a - b) > RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** One line per difference; empty when both runs agree. */
export function compareRuns(standin: AccuracyReport, real: AccuracyReport): string[] {
  const lines: string[] = [];
  const byId = new Map(real.results.map((r) => [r.id, r]));
  for (const s of standin.results) {
    const r = byId.get(s.id);
    if (!r) {
      lines.push(`${s.id}: missing from the real-Prometheus run`);
      continue;
    }
    const top = (x: typeof s) => (x.top ? `${x.top.signatureId} (${x.top.confidence})` : 'nothing');
    if (top(s) !== top(r))
      lines.push(`${s.id}: diagnosis ${top(s)} with the stand-in, ${top(r)} with Prometheus`);
    if (typeof s.metrics === 'string' || typeof r.metrics === 'string') {
      if (s.metrics !== r.metrics)
        lines.push(`${s.id}: metrics ${String(s.metrics)} vs ${String(r.metrics)}`);
      continue;
    }
    const real = r.metrics;
    for (const key of new Set([...Object.keys(s.metrics), ...Object.keys(real)])) {
      if (differs(s.metrics[key], real[key])) {
        lines.push(`${s.id}: ${key} = ${s.metrics[key]} with the stand-in, ${real[key]} with Prometheus`);
      }
    }
  }
  return lines;
}
