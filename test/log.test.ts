// The logger's error fields (stack and cause, redacted and bounded) and the per-invocation context of the Lambda handlers.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { memoryLogger } from './support/memory-logger.js';
import { API_TOKEN, emptyStore, minimalApp } from './support/minimal-app.js';

const SECRET = 'configured-secret-0123456789';
interface Logged {
  name?: string;
  message?: string;
  stack?: string;
  cause?: Logged;
}
const parse = (line: string | undefined) =>
  JSON.parse(line ?? 'null') as Record<string, unknown> & { error: Logged; truncated?: unknown };

describe('errors in log fields', () => {
  it('keep their stack, so a 500 can be traced to the line that threw', () => {
    const { log, lines } = memoryLogger();
    const error = new Error('store unreachable');
    log.error('request failed', { error });
    const logged = parse(lines[0]).error;
    expect(logged).toMatchObject({ name: 'Error', message: 'store unreachable' });
    expect(logged.stack).toContain('store unreachable');
    expect(logged.stack).toContain('log.test.ts');
  });

  it('keep their cause chain, each with its own stack', () => {
    const { log, lines } = memoryLogger();
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    log.error('request failed', { error: new Error('store unreachable', { cause: root }) });
    const logged = parse(lines[0]).error;
    expect(logged.cause).toMatchObject({ name: 'Error', message: root.message, code: 'ECONNREFUSED' });
    expect(logged.cause?.stack).toContain('ECONNREFUSED');
  });

  it('keep a cause that is not an Error as it is', () => {
    const { log, lines } = memoryLogger();
    log.error('m', { error: new Error('outer', { cause: { status: 503 } }) });
    expect(parse(lines[0]).error.cause).toEqual({ status: 503 });
  });

  it('pass the redactor: secrets in a stack or a cause are masked', () => {
    const { log, lines } = memoryLogger([SECRET]);
    const cause = new Error(`login with ${SECRET} refused`);
    const error = new Error('token xoxb-1234567890-abcdefghij rejected', { cause });
    log.error('m', { error });
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toContain('xoxb-1234567890-abcdefghij');
    const logged = parse(lines[0]).error;
    expect(logged.stack).toContain('[REDACTED');
    expect(logged.cause?.stack).toContain('[REDACTED]');
  });

  it('stay bounded: a long message and stack are cut, a cause chain is followed a few links deep', () => {
    const { log, lines } = memoryLogger();
    let error = new Error('x'.repeat(100_000));
    for (let i = 0; i < 50; i += 1) error = new Error(`link ${i}`, { cause: error });
    log.error('m', { error });
    expect(lines[0]!.length).toBeLessThan(20_000);
    let depth = 0;
    for (let e: Logged | undefined = parse(lines[0]).error; e?.cause; e = e.cause) depth += 1;
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThan(10);
  });

  it('are masked before they are cut: no first half of a secret is left at the cut', () => {
    const { log, lines } = memoryLogger([SECRET]);
    // The stack starts "Error: " and is cut at 3,000 characters: three characters into the secret.
    log.error('m', { error: new Error(`${'x'.repeat(2_990)}${SECRET}`) });
    expect(lines[0]).toMatch(/x\[RE… \[cut from/);
    expect(lines[0]).not.toMatch(/xcon/);
  });

  it('a cause that is the error itself is written once, not followed for ever', () => {
    const { log, lines } = memoryLogger();
    const error = new Error('self');
    (error as { cause?: unknown }).cause = error;
    log.error('m', { error });
    expect(parse(lines[0]).error.message).toBe('self');
    expect(lines[0]!.length).toBeLessThan(20_000);
  });
});

describe('a 500', () => {
  it('is logged with the stack of what threw', async () => {
    const broken = {
      ...emptyStore,
      get: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'status')");
      },
    };
    const { app, logs } = minimalApp(broken);
    const res = await app.request('/incidents/a76bd1c921158f3a-20261123T084112052Z', {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(res.status).toBe(500);
    const line = logs.map((l) => parse(l)).find((l) => l.level === 'error');
    expect(line?.error).toMatchObject({ name: 'TypeError' });
    expect(line?.error.stack).toContain('log.test.ts');
  });
});

describe('log lines', () => {
  it('are cut to a bounded size, still one JSON line with level, time and message, secrets still masked', () => {
    const { log, lines } = memoryLogger([SECRET]);
    log.info('huge', { body: `${SECRET} ${'y'.repeat(1_000_000)}` });
    expect(lines[0]!.length).toBeLessThan(40_000);
    expect(parse(lines[0])).toMatchObject({ level: 'info', message: 'huge' });
    expect(parse(lines[0]).truncated).toMatchObject({ characters: expect.any(Number) });
    expect(lines[0]).not.toContain(SECRET);
  });
});

describe('invocation context', () => {
  it('a logger made before the invocation writes its fields on every line logged inside it', async () => {
    const lines: string[] = [];
    const { withLogContext } = await import('../src/log.js');
    const log = createLogger({ sink: (l) => lines.push(l) });
    const child = log.child({ messageId: 'm-1' });
    await withLogContext({ requestId: 'r-1' }, async () => {
      log.info('inside');
      await Promise.resolve();
      child.info('inside, later');
    });
    log.info('outside');
    expect(lines.map((l) => parse(l).requestId)).toEqual(['r-1', 'r-1', undefined]);
    expect(parse(lines[1]).messageId).toBe('m-1');
  });
});
