// Runs a real Alertmanager binary as a child process with a webhook receiver, for end-to-end tests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, terminate } from './child-process.js';

export interface AlertmanagerOptions {
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>` on every webhook request. */
  token?: string;
  /** Default `['namespace']`, as kube-prometheus configures it. */
  groupBy?: string[];
  /** Defaults are short for tests: group_wait 1s, group_interval 5s, repeat_interval 1h. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  maxAlerts?: number;
  /** Default true. */
  sendResolved?: boolean;
  /** Listen on this loopback port (from freePort()) when the caller must know the URL before start. */
  port?: number;
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  url: string;
  /** POST /api/v2/alerts, the way Prometheus sends alerts. */
  push(alerts: PostableAlert[]): Promise<void>;
  stop(): Promise<void>;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
}

const CANDIDATES = [
  '/usr/bin/prometheus-alertmanager',
  '/usr/bin/alertmanager',
  '/usr/local/bin/alertmanager',
];
const READY_WITHIN_MS = 15_000;

/** Path of an installed Alertmanager binary (Debian's package name first), or undefined. */
export function alertmanagerBinary(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path));
}

/** JSON strings are valid YAML double-quoted scalars, so values are quoted with JSON.stringify. */
function configYaml(options: AlertmanagerOptions): string {
  const q = JSON.stringify;
  const lines = [
    'route:',
    '  receiver: webhook',
    `  group_by: [${(options.groupBy ?? ['namespace']).map((label) => q(label)).join(', ')}]`,
    `  group_wait: ${q(options.groupWait ?? '1s')}`,
    `  group_interval: ${q(options.groupInterval ?? '5s')}`,
    `  repeat_interval: ${q(options.repeatInterval ?? '1h')}`,
    'receivers:',
    '  - name: webhook',
    '    webhook_configs:',
    `      - url: ${q(options.webhookUrl)}`,
    `        send_resolved: ${options.sendResolved ?? true}`,
  ];
  if (options.maxAlerts !== undefined) lines.push(`        max_alerts: ${options.maxAlerts}`);
  if (options.token !== undefined) {
    lines.push(
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${q(options.token)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const binary = alertmanagerBinary();
  if (!binary) throw new Error(`Alertmanager binary not found (looked in ${CANDIDATES.join(', ')})`);
  const dir = await mkdtemp(join(tmpdir(), 'alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, configYaml(options));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;

  let output = '';
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      `--web.external-url=${url}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const stop = async () => {
    await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };

  // An external process start-up has no event to await, so poll /-/ready with a short, bounded backoff.
  const deadline = Date.now() + READY_WITHIN_MS;
  let ready = false;
  for (let delay = 25; !ready && Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) break;
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      ready = response.ok;
    } catch {
      // Not listening yet.
    }
    if (!ready) await new Promise((resolve) => setTimeout(resolve, delay));
  }
  if (!ready) {
    // Read the exit state before stop(), which kills a process that is merely slow.
    const exit = child.exitCode ?? child.signalCode;
    await stop();
    const why = spawnError
      ? `failed to spawn: ${spawnError.message}`
      : exit !== null
        ? `exited (${exit}) before becoming ready`
        : `not ready within ${READY_WITHIN_MS} ms`;
    throw new Error(`Alertmanager ${why}. Logs:\n${output}`);
  }

  return {
    url,
    logs: () => output,
    stop,
    push: async (alerts) => {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!response.ok) {
        throw new Error(`Alertmanager rejected alerts: HTTP ${response.status} ${await response.text()}`);
      }
    },
  };
}
