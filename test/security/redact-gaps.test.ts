// Finding 5 of issue 16: credential shapes the redactor missed. One case per pattern, each through redact() and so
// through its one-scan prefilter, which must name every pattern's literal.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/domain/redact.js';

describe('redact masks what it used to pass', () => {
  it.each([
    ['redis://:Zq8pw0rd@redis-master:6379/0', 'Zq8pw0rd'],
    ['amqp://:s3cr3tpw@rabbit:5672', 's3cr3tpw'],
    ['exec: mysqldump --password hunter22 --all-databases', 'hunter22'],
    ['run: mongo --db-pass Xk29fLq7 admin', 'Xk29fLq7'],
    ['kafka-cli --sasl-token "two words here" --topic x', 'two words here'],
    ['DB_PASS=hunter22', 'hunter22'],
    ['REDIS_AUTH=abc123def', 'abc123def'],
    ['pass: Xk29fLq7Zp', 'Xk29fLq7Zp'],
    ['aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
    ['secret_access_key   wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
    ['OPENAI key sk-proj-AbCdEf0123456789_abcdefGHIJ', 'AbCdEf0123456789'],
    ['using sk-AbCdEf0123456789abcdefGHIJ', 'AbCdEf0123456789'],
    ['clone https://oauth2@gitlab.example glpat-AbCdEf0123456789xyzW', 'AbCdEf0123456789'],
    ['//registry.npmjs.org/:_authToken npm_AbCdEf0123456789abcdefGHIJKLmnop1234', 'AbCdEf0123456789'],
    ['user token xoxp-1111-2222-3333-abcdefabcdef', 'abcdefabcdef'],
    ['refresh xoxe-1-AbCdEf0123456789', 'AbCdEf0123456789'],
    ['push with ghp_AbCdEf0123456789abcdefGHIJKLmnop1234', 'AbCdEf0123456789'],
    ['AWS key AKIAIOSFODNN7EXAMPLE in env', 'AKIAIOSFODNN7EXAMPLE'],
  ])('masks %s', (input, secret) => {
    const out = redact(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('REDACTED');
  });

  it.each([
    ['password="correct horse battery staple"', ['correct', 'horse', 'battery', 'staple']],
    ["{'db_password': 'four words in all'}", ['four', 'words', 'all']],
    ['{"token":"two, words"}', ['two', 'words']],
    ['{\\"secret\\":\\"escaped and spaced\\"}', ['escaped', 'spaced']],
  ])('masks the quoted value of %s whole', (input, words) => {
    const out = redact(input);
    for (const word of words) expect(out).not.toContain(word);
  });

  it('keeps what follows a quoted value', () => {
    expect(redact('password="a b c d" user=alice')).toBe('password="[REDACTED]" user=alice');
  });

  it.each([
    'tests passed: 12, failed: 0',
    'compass heading 270',
    'author=jane bypass=false',
    'run: kubectl --passive-mode on',
    'flag --token-file /var/run/secrets/token',
  ])('leaves %s alone', (line) => {
    expect(redact(line)).toBe(line);
  });
});
