// Lambda bundles run in child processes: a worker polling SQS as the event source mapping does (which a test may
// SIGKILL mid-batch), and a one-shot invocation of a handler for a list of events.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ProcessOutput } from './child-process.js';

const run = promisify(execFile);
const POLLER = fileURLToPath(new URL('./lambda/sqs-poller.mjs', import.meta.url));
const INVOKE = fileURLToPath(new URL('./lambda/invoke-handler.mjs', import.meta.url));

export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly output: ProcessOutput;
  /** Lines the worker's logger wrote with this `message`. */
  count(message: string): number;
  /** SIGKILL, as a Lambda timeout or a lost execution environment ends it: no cleanup runs. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A worker bundle polling the SQS stand-in at `sqs.url` / `sqs.queueUrl`, until stopped or killed. */
export async function startWorker(
  name: string,
  bundle: string,
  env: Record<string, string>,
  sqs: { url: string; queueUrl: string },
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [POLLER, bundle], {
    env: { ...env, POLL_SQS_ENDPOINT: sqs.url, POLL_QUEUE_URL: sqs.queueUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new ProcessOutput(child);
  await output.until(/poller: ready/, child, 60_000);
  const stop = async (signal: NodeJS.Signals) => {
    const done = exited(child);
    child.kill(signal);
    await done;
  };
  return {
    name,
    child,
    output,
    count: (message) =>
      output
        .all()
        .split('\n')
        .filter((l) => l.includes(`"message":"${message}"`)).length,
    kill: () => stop('SIGKILL'),
    stop: () => stop('SIGTERM'),
  };
}

/** `handler(event, {})` of `bundle` for each event, in order, in one fresh process: the results. */
export async function invokeEach(
  bundle: string,
  events: readonly unknown[],
  env: Record<string, string>,
  dir: string,
): Promise<Record<string, unknown>[]> {
  const file = join(dir, `events-${process.hrtime.bigint()}.json`);
  writeFileSync(file, JSON.stringify(events));
  const { stdout } = await run(process.execPath, [INVOKE, bundle, file], {
    env,
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('RESULT '))
    .map((l) => JSON.parse(l.slice('RESULT '.length)) as Record<string, unknown>);
}
