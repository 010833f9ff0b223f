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

const CORE = new Set(['level', 'time', 'message']);

const plain = (_: string, v: unknown): unknown => {
  const value = errorFields(v);
  return typeof value === 'bigint' ? value.toString() : value;
};

/**
 * One JSON line whatever the fields hold: errors reduced to name, message and code, bigints as strings, and (only
 * when the plain attempt fails on a cycle) objects met again as "[Circular]". Fields cannot overwrite level, time
 * or message.
 */
function serialize(core: Record<string, unknown>, ...sets: (Record<string, unknown> | undefined)[]): string {
  const record: Record<string, unknown> = { ...core };
  for (const set of sets) for (const [k, v] of Object.entries(set ?? {})) if (!CORE.has(k)) record[k] = v;
  try {
    return JSON.stringify(record, plain);
  } catch {
    // A cycle, a structure nested too deep for the stack, or a toJSON that throws: retried below.
  }
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(record, (k, v: unknown) => {
      const value = plain(k, v);
      if (value !== null && typeof value === 'object') {
        if (seen.has(value)) return '[Circular]';
        seen.add(value);
      }
      return value;
    });
  } catch (error) {
    return JSON.stringify({
      ...core,
      logError: `fields not serializable: ${String((error as Error)?.message)}`,
    });
  }
}

export function createLogger(options: {
  level?: Level;
  sink?: Sink;
  secrets?: readonly (string | undefined)[];
  fields?: Record<string, unknown>;
}): Logger {
  const level = options.level ?? 'info';
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  // A line is JSON: a secret holding " or \ appears in it escaped, so that form is masked too.
  const secrets = (options.secrets ?? [])
    .filter((s): s is string => typeof s === 'string' && s.length >= 4)
    .flatMap((s) => {
      const escaped = JSON.stringify(s).slice(1, -1);
      return escaped === s ? [s] : [escaped, s];
    });
  const mask = (text: string): string => {
    let out = redact(text);
    for (const secret of secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  };

  const make = (base: Record<string, unknown>): Logger => {
    const write = (at: Level, message: string, fields?: Record<string, unknown>) => {
      if (ORDER[at] < ORDER[level]) return;
      sink(
        mask(
          serialize({ level: at, time: new Date().toISOString(), message: String(message) }, base, fields),
        ),
      );
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
