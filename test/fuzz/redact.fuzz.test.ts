// Property tests of the redactor: secrets in every shape it knows are masked anywhere in a line, in linear time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PATHOLOGICAL_TEXTS } from '../../bench/pathological-inputs.js';
import { redact } from '../../src/domain/redact.js';
import { runs } from '../support/fuzz.js';
import { memoryLogger } from '../support/memory-logger.js';

const alnum = (min: number, max: number) =>
  fc
    .stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`))
    .filter((s) => /\d/.test(s) && /[a-z]/i.test(s));
const b64url = (n: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${n}}$`));

/** [the secret, the line that carries it] in the shapes logs and configs use. */
const carried = fc.oneof(
  alnum(6, 30).map((s) => [s, `DB_PASSWORD=${s}`]),
  alnum(6, 30).map((s) => [s, `{"api_key":"${s}"}`]),
  alnum(6, 30).map((s) => [s, `{'password': '${s}'}`]),
  alnum(6, 30).map((s) => [s, JSON.stringify({ body: JSON.stringify({ token: s }) })]),
  alnum(6, 30).map((s) => [s, `secret: ${s}`]),
  alnum(6, 30).map((s) => [s, `export AWS_SECRET_ACCESS_KEY=${s}`]),
  alnum(6, 30).map((s) => [s, `a=password=${s}`]),
  alnum(8, 40).map((s) => [s, `Authorization: Bearer ${s}`]),
  alnum(8, 40).map((s) => [s, `Authorization: Basic ${s}`]),
  alnum(6, 30).map((s) => [s, `postgres://app:${s}@db:5432/app`]),
  alnum(10, 30).map((s) => [s, `xoxb-123456-${s}`]),
  alnum(10, 30).map((s) => [s, `xapp-1-${s}`]),
  alnum(10, 30).map((s) => [s, `https://hooks.slack.com/services/T01/B02/${s}`]),
  fc.stringMatching(/^[A-Z0-9]{16}$/).map((s) => [s, `AKIA${s}`]),
  alnum(36, 40).map((s) => [s, `ghp_${s}`]),
  alnum(30, 40).map((s) => [s, `github_pat_${s}`]),
  b64url(35).map((s) => [s, `AIza${s}`]),
  alnum(16, 30).map((s) => [s, `sk_live_${s}`]),
  fc.tuple(b64url(12), b64url(12), b64url(16)).map(([a, b, c]) => [c, `eyJ${a}.eyJ${b}.${c}`]),
  alnum(20, 60).map((s) => [s, `-----BEGIN RSA PRIVATE KEY-----\n${s}\n-----END RSA PRIVATE KEY-----`]),
) as fc.Arbitrary<[string, string]>;

const noise = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\n',
    'INFO ',
    '[2026-11-23 08:38:41 +0000] [1] [ERROR] ',
    'level=error msg="x" ',
    ', ',
  ),
  fc.string({ maxLength: 20 }).map((s) => `${s} `),
);

describe('redact', () => {
  it('masks a secret in any known shape wherever it sits in a line', () => {
    fc.assert(
      fc.property(noise, carried, noise, (before, [secret, line], after) => {
        const out = redact(`${before}${line} ${after}`);
        expect(out).not.toContain(secret);
        expect(out).toContain('REDACTED');
      }),
      { numRuns: runs(3_000) },
    );
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          carried.map(([, l]) => l),
        ),
        (text) => {
          const once = redact(text);
          expect(redact(once)).toBe(once);
        },
      ),
      { numRuns: runs(2_000) },
    );
  });

  // Pathological inputs for the patterns (one took 12 s on 10 KB once): their timings are in `npm run bench`.
  it.each(PATHOLOGICAL_TEXTS)('masks 100 KB of %s to a fixed point', (_, text) => {
    const once = redact(text);
    expect(redact(once)).toBe(once);
  });

  it('leaves a log line with nothing secret in it as it was', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z ]{0,60}$/), (text) => {
        expect(redact(text)).toBe(text);
      }),
      { numRuns: runs(500) },
    );
    const line = 'GET /api/v1/orders?limit=20 200 12ms user=bob region=eu-west-1';
    expect(redact(line)).toBe(line);
  });

  it.each([
    'failed to fetch oauth token: unexpected status from GET request to https://registry.example.com/service/token: 401 Unauthorized',
    'Secret: not found',
    'password: incorrect',
  ])('keeps prose after an unquoted "key:" readable: %s', (line) => {
    expect(redact(line)).toBe(line);
  });

  it.each([
    ['password: hunter2', 'password: [REDACTED]'],
    ['password: "correcthorse"', 'password: "[REDACTED]"'],
    ["{'secret': 'abc'}", "{'secret': '[REDACTED]'}"],
    ['secret=abc', 'secret=[REDACTED]'],
  ])('masks a setting after "key:" when quoted or generated-looking: %s', (line, masked) => {
    expect(redact(line)).toBe(masked);
  });

  it('the logger masks secrets inside JSON-escaped fields', () => {
    const { log, lines } = memoryLogger();
    log.info('upstream answered', { body: '{"password":"hunter2-secret","ok":false}' });
    expect(lines.join('\n')).not.toContain('hunter2-secret');
    expect(() => JSON.parse(lines[0]!)).not.toThrow();
  });
});
