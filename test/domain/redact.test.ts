// Secrets in logs and context are masked before anything is stored, logged or posted.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/domain/redact.js';
import { memoryLogger } from '../../src/log.js';

describe('redact', () => {
  it.each([
    ['password=hunter22 connecting', 'hunter22'],
    ['DB_PASSWORD: "s3cr3t-value"', 's3cr3t-value'],
    ['{"api_key":"AbCdEf123456"}', 'AbCdEf123456'],
    ['Authorization: Bearer abcdefghijklmnop', 'abcdefghijklmnop'],
    ['token xoxb-000000000000-0000000000000-EXAMPLEEXAMPLE', 'xoxb-000000000000'],
    ['key AKIAABCDEFGHIJKLMNOP used', 'AKIAABCDEFGHIJKLMNOP'],
    [
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'dozjgNryP4J3',
    ],
    ['postgres://app:pa55word@db:5432/app', 'pa55word'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', 'MIIEow'],
  ])('masks %s', (input, secret) => {
    const out = redact(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('REDACTED');
  });

  it('leaves ordinary log lines alone', () => {
    const line = 'dial tcp: lookup kube-apiserver on 172.20.0.10:53: no such host';
    expect(redact(line)).toBe(line);
  });

  it('keeps configured secrets out of log lines', () => {
    const { log, lines } = memoryLogger(['example-webhook-token-0123456789']);
    log.info('request', {
      header: 'Bearer example-webhook-token-0123456789',
      note: 'plain example-webhook-token-0123456789',
    });
    expect(lines.join('\n')).not.toContain('example-webhook-token-0123456789');
  });
});
