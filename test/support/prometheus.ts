// Runs a real Prometheus on loopback over backfilled scenario series, so the service's queries meet real PromQL.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ScenarioSeries } from '../../src/local/cluster/scenario.js';
import { freePort, ProcessOutput, terminate } from './child-process.js';
import { renderOpenMetrics } from './openmetrics.js';

const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'];
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'];
const READY_WITHIN_MS = 30_000;

export interface RunningPrometheus {
  readonly url: string;
  /** The "now" the series were rendered around, in Unix seconds; their history is the hour before it. */
  readonly now: number;
  /** One instant query, at Prometheus's clock like the service's own, or at `time` (Unix seconds). */
  query(promql: string, time?: number): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
  logs(): string;
}

/** Installed `prometheus` and `promtool` (Debian's package puts both in /usr/bin), or undefined. */
export function prometheusBinaries(): { prometheus: string; promtool: string } | undefined {
  const prometheus = PROMETHEUS.find((path) => existsSync(path));
  const promtool = PROMTOOL.find((path) => existsSync(path));
  return prometheus && promtool ? { prometheus, promtool } : undefined;
}

/** Why real-Prometheus tests skip here, or undefined when they run; in CI they always run (and fail if absent). */
export function realPrometheusSkip(): string | undefined {
  if (prometheusBinaries() || process.env.CI) return undefined;
  return 'skipped: prometheus/promtool not installed (apt-get install prometheus; CI always runs these)';
}

/**
 * Backfills `series` into a fresh TSDB with promtool, then starts Prometheus on it with an empty scrape
 * configuration on a free loopback port, and resolves once `/-/ready` answers.
 */
export async function startPrometheus(
  series: readonly ScenarioSeries[],
  options: { now?: number } = {},
): Promise<RunningPrometheus> {
  const binaries = prometheusBinaries();
  if (!binaries)
    throw new Error(`Prometheus not found (looked for ${[...PROMETHEUS, ...PROMTOOL].join(', ')})`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const dir = await mkdtemp(join(tmpdir(), 'prometheus-'));
  const dataDir = join(dir, 'data');
  const input = join(dir, 'series.om');
  const config = join(dir, 'prometheus.yml');
  try {
    await writeFile(input, renderOpenMetrics(series, now));
    await writeFile(config, 'global: {}\nscrape_configs: []\n');
    await promisify(execFile)(binaries.promtool, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      input,
      dataDir,
    ]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binaries.prometheus,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      // Retention counts back from the newest block; the backfilled hour must never be due for deletion.
      '--storage.tsdb.retention.time=3650d',
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = new ProcessOutput(child);
  const stop = async () => {
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await output.until(/Server is ready to receive web requests/, child, READY_WITHIN_MS);
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(5000) });
    if (!ready.ok) throw new Error(`/-/ready answered ${ready.status}`);
  } catch (error) {
    await stop();
    throw new Error(`Prometheus did not start: ${(error as Error).message}. Logs:\n${output.all()}`);
  }

  return {
    url,
    now,
    logs: () => output.all(),
    stop,
    async query(promql, time) {
      const at = time === undefined ? '' : `&time=${time}`;
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}${at}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query failed (${res.status}): ${body.error}`);
      return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}
