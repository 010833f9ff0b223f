// Structured JSON logs with per-alert context fields; every line passes the redactor and known secrets are masked.
import { AsyncLocalStorage } from 'node:async_hooks';
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

/** Bounds of what an error adds to a line: its stack repeats its message, and a cause chain can be long. */
const MAX_ERROR_MESSAGE = 1_000;
const MAX_STACK = 3_000;
const MAX_CAUSES = 3;
/** A line longer than this is replaced by its head: CloudWatch cuts events at 256 KB, and a cut line is not JSON. */
const MAX_LINE = 32_768;
const TRUNCATED_HEAD = 8_192;

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… [cut from ${text.length} characters]`;

type Mask = (text: string) => string;

/**
 * An error as a plain record: name, message, code, stack and its cause chain, each bounded. Texts are masked before
 * they are cut: a secret cut in two would no longer match the mask, and its first half would be logged.
 */
function errorRecord(error: Error, mask: Mask, depth: number, seen: Set<Error>): Record<string, unknown> {
  seen.add(error);
  const record: Record<string, unknown> = {
    name: error.name,
    message: cut(mask(String(error.message)), MAX_ERROR_MESSAGE),
  };
  if ('code' in error) record.code = (error as { code: unknown }).code;
  if (typeof error.stack === 'string') record.stack = cut(mask(error.stack), MAX_STACK);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    if (seen.has(cause)) record.cause = '[Circular]';
    else if (depth >= MAX_CAUSES) record.cause = `[cause chain cut: ${cause.name}]`;
    else record.cause = errorRecord(cause, mask, depth + 1, seen);
  } else if (cause !== undefined) record.cause = cause;
  return record;
}

const CORE = new Set(['level', 'time', 'message']);

const plainWith =
  (mask: Mask) =>
  (_: string, v: unknown): unknown => {
    const value = v instanceof Error ? errorRecord(v, mask, 1, new Set()) : v;
    return typeof value === 'bigint' ? value.toString() : value;
  };

/**
 * One JSON line whatever the fields hold: errors reduced to name, message, code, stack and cause, bigints as
 * strings, and (only when the plain attempt fails on a cycle) objects met again as "[Circular]". Fields cannot
 * overwrite level, time or message.
 */
function serialize(
  mask: Mask,
  core: Record<string, unknown>,
  ...sets: (Record<string, unknown> | undefined)[]
): string {
  const plain = plainWith(mask);
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
      // Checked before conversion: an error converts to a new record each time it is met.
      if (v !== null && typeof v === 'object') {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return plain(k, v);
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
      const core = {
        level: at,
        time: new Date().toISOString(),
        message: cut(mask(String(message)), TRUNCATED_HEAD),
      };
      const context = invocation.getStore();
      const line = mask(serialize(mask, core, context, base, fields));
      if (line.length <= MAX_LINE) {
        sink(line);
        return;
      }
      // Masked before it is cut, so a secret cannot escape the mask by being cut in two.
      const truncated = { characters: line.length, head: line.slice(0, TRUNCATED_HEAD) };
      const small = serialize(mask, core, context, base, { truncated });
      sink(mask(small.length <= MAX_LINE ? small : serialize(mask, core, context, { truncated })));
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

/** Fields of the invocation being served (a Lambda request id, say), written on every line logged inside it. */
const invocation = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * Runs `run` with `fields` on every line logged until it settles, by any logger, including those made at cold
 * start and held by long-lived dependencies, which a child logger cannot reach.
 */
export function withLogContext<T>(fields: Record<string, unknown>, run: () => T): T {
  return invocation.run({ ...invocation.getStore(), ...fields }, run);
}
