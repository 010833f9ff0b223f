// Property tests of the logger: whatever it is handed, it writes one valid JSON line and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../support/fuzz.js';
import { memoryLogger } from '../support/memory-logger.js';

const SECRET = 'configured-secret-0123456789';

function circular(): Record<string, unknown> {
  const a: Record<string, unknown> = { name: 'a' };
  a.self = a;
  return a;
}

function deep(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) v = { v };
  return v;
}

const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }),
  fc.constantFrom<unknown>(
    10n,
    Symbol('s'),
    () => 1,
    circular(),
    deep(20_000),
    new Error('boom', { cause: circular() }),
    Object.assign(new Error('with code'), { code: 'E_X', secret: SECRET }),
    {
      toJSON: () => {
        throw new Error('toJSON throws');
      },
    },
  ),
);

describe('logger', () => {
  it('writes one valid JSON line for any fields, and never throws', () => {
    const { log, lines } = memoryLogger([SECRET]);
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(fc.string({ maxLength: 8 }), hostile, { maxKeys: 3 }),
        (message, fields) => {
          const before = lines.length;
          expect(() => log.error(message, fields)).not.toThrow();
          expect(lines.length).toBe(before + 1);
          const record = JSON.parse(lines.at(-1)!) as { message: string; level: string };
          expect(record.level).toBe('error');
          expect(lines.at(-1)).not.toContain(SECRET);
        },
      ),
      { numRuns: runs(1_000) },
    );
  });

  it('keeps its own level, time and message whatever the fields are called', () => {
    const { log, lines } = memoryLogger();
    log.error('the real message', { level: 'debug', message: 'forged', time: 'never', detail: 1 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', message: 'the real message', detail: 1 });
    expect(JSON.parse(lines[0]!).time).not.toBe('never');
  });

  it('writes a shared (not circular) object in full each time it appears', () => {
    const { log, lines } = memoryLogger();
    const target = { namespace: 'payments', pod: 'p' };
    log.info('m', { target, again: { target } });
    expect(JSON.parse(lines[0]!)).toMatchObject({ target, again: { target } });
  });
});
