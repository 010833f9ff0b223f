// Secrets in logs and context are masked before anything is stored, logged or posted.
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/domain/redact.js';
import { memoryLogger } from '../support/memory-logger.js';

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
    // One per pattern and key name, so the one-scan prefilter in redact() cannot drop any of them unnoticed.
    ['app token xapp-1-A0000000000-0000000000000-abcdef', 'xapp-1-A0000000000'],
    ['posting to https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX', 'XXXXXXXXXXXXXXXX'],
    ['session ASIAABCDEFGHIJKLMNOP expired', 'ASIAABCDEFGHIJKLMNOP'],
    ['clone with ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghij'],
    ['github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz0123', 'github_pat_11ABCDEFG0'],
    ['maps key AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890'],
    ['charging with sk_live_abcdefghijklmnop1234', 'sk_live_abcdefghij'],
    ['Authorization: basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA'],
    ['mysql -u root --passwd=Sup3rS3cret', 'Sup3rS3cret'],
    ['PWD="x9y8z7w6"', 'x9y8z7w6'],
    ['aws_access_key=wJalrXUtnFEMI0K7MDENG', 'wJalrXUtnFEMI0K7MDENG'],
    ['privateKey: "MIIBVgIBADANBgkqhkiG9w0"', 'MIIBVgIBADANBgkqhkiG9w0'],
    ['{"credentials":"c0mpl3x-Val"}', 'c0mpl3x-Val'],
    ['client_secret=abcDEF123456', 'abcDEF123456'],
    ['X-Auth-Token: tok3n-Value-9', 'tok3n-Value-9'],
  ])('masks %s', (input, secret) => {
    const out = redact(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('REDACTED');
  });

  it('keeps the object kind in a kubelet mount message, but masks a generated value in the same shape', () => {
    const line = 'MountVolume.SetUp failed for volume "db-credentials" : secret "db-credentials" not found';
    expect(redact(line)).toBe(line);
    expect(redact('"db_password" : Xk29fLq7Zp')).not.toContain('Xk29fLq7Zp');
    expect(redact('"db_password" : "plain"')).not.toContain('plain');
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
