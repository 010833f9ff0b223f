// Helpers for tests that run a real binary as a child process: a free loopback port, a log line to await, a stop.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('could not allocate a free port');
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL if the process is still there after five seconds. */
export async function terminate(child: ChildProcess): Promise<void> {
  const done = exited(child);
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000);
  });
  await Promise.race([done, killed]);
  clearTimeout(timer);
  await done;
}

/** Everything a child writes to stdout and stderr, and a way to await a line it has not written yet. */
export class ProcessOutput {
  private text = '';
  private readonly waiters: { pattern: RegExp; resolve: () => void }[] = [];

  constructor(child: ChildProcess) {
    const take = (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
      for (const waiter of this.waiters.filter((w) => w.pattern.test(this.text))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
  }

  all(): string {
    return this.text;
  }

  /**
   * Resolves once the output matches `pattern`; rejects when the child exits or fails to spawn first, or after
   * `withinMs` (a bound on a hung start, not a wait: the usual case resolves on the log line itself).
   */
  until(pattern: RegExp, child: ChildProcess, withinMs: number): Promise<void> {
    if (pattern.test(this.text)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${withinMs} ms`)), withinMs);
      const onExit = (code: number | null, signal: string | null) =>
        finish(new Error(`exited (${code ?? signal}) before ${pattern}`));
      const onError = (error: Error) => finish(new Error(`failed to spawn: ${error.message}`));
      const waiter = { pattern, resolve: () => finish() };
      const finish = (error?: Error) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', onError);
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        if (error) reject(error);
        else resolve();
      };
      child.once('exit', onExit);
      child.once('error', onError);
      this.waiters.push(waiter);
    });
  }
}
