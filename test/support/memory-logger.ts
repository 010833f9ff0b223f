// A logger that keeps its lines in memory, for tests and benches that assert what was (and was not) logged.
import { createLogger, type Logger } from '../../src/log.js';

export function memoryLogger(secrets: readonly string[] = []): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: 'debug', sink: (l) => lines.push(l), secrets }), lines };
}
