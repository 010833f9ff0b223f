// Structured JSON logs with per-alert context fields; every line passes the redactor and known secrets are masked.
import { redact } from './domain/redact.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type Sink = (line: string) => void;

function errorFields(value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...('code' in value ? { code: (value as { code: unknown }).code } : {}),
    };
  }
  return value;
}

export function createLogger(options: {
  level?: Level;
  sink?: Sink;
  secrets?: readonly (string | undefined)[];
  fields?: Record<string, unknown>;
}): Logger {
  const level = options.level ?? 'info';
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const mask = (text: string): string => {
    let out = redact(text);
    for (const secret of secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  };

  const make = (base: Record<string, unknown>): Logger => {
    const write = (at: Level, message: string, fields?: Record<string, unknown>) => {
      if (ORDER[at] < ORDER[level]) return;
      const record = { level: at, time: new Date().toISOString(), message, ...base, ...fields };
      sink(mask(JSON.stringify(record, (_, v: unknown) => errorFields(v))));
    };
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({ service: 'alert-triage', ...options.fields });
}

/** A logger that keeps lines in memory, for tests that assert what was (and was not) logged. */
export function memoryLogger(secrets: readonly string[] = []): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: 'debug', sink: (l) => lines.push(l), secrets }), lines };
}
