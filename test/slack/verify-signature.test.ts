// Slack's v0 signature: the published vector verifies, and every case a verifier must reject is rejected.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedSignature, verifySlackSignature } from '../../src/commands/verify-signature.js';

const reference = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8'));

const vector = reference('signing-test-vector.json') as {
  signingSecret: string;
  headers: Record<string, string>;
  rawBody: string;
  expectedSignature: string;
};
const sample = reference('slash-command-triage-sample.json') as {
  signingSecret: string;
  request: { headers: Record<string, string>; rawBody: string };
  cases: { name: string; now: number; rawBody: string; signature: string; expect: string }[];
};

const at = (seconds: number) => new Date(seconds * 1000);

describe('verifySlackSignature', () => {
  it("accepts Slack's published example, given the vector's clock", () => {
    const timestamp = Number(vector.headers['X-Slack-Request-Timestamp']);
    expect(expectedSignature(vector.signingSecret, String(timestamp), vector.rawBody)).toBe(
      vector.expectedSignature,
    );
    expect(
      verifySlackSignature({
        secret: vector.signingSecret,
        headers: vector.headers,
        rawBody: vector.rawBody,
        now: at(timestamp),
      }),
    ).toEqual({ ok: true });
  });

  it('rejects the published example on a clock of today (replay window)', () => {
    const check = verifySlackSignature({
      secret: vector.signingSecret,
      headers: vector.headers,
      rawBody: vector.rawBody,
      now: at(1795423262),
    });
    expect(check).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it.each(sample.cases)('/triage sample: $name -> $expect', (c) => {
    const check = verifySlackSignature({
      secret: sample.signingSecret,
      headers: { ...sample.request.headers, 'X-Slack-Signature': c.signature },
      rawBody: c.rawBody,
      now: at(c.now),
    });
    expect(check.ok).toBe(c.expect === 'accept');
    if (c.name.includes('timestamp')) expect(check).toMatchObject({ reason: 'stale_timestamp' });
    else if (c.expect !== 'accept') expect(check).toMatchObject({ reason: 'signature_mismatch' });
  });

  const valid = sample.cases[0]!;
  const base = {
    secret: sample.signingSecret,
    headers: { ...sample.request.headers, 'X-Slack-Signature': valid.signature },
    rawBody: valid.rawBody,
    now: at(valid.now),
  };
  const timestamp = Number(sample.request.headers['X-Slack-Request-Timestamp']);

  it('hashes bytes and their string alike, and reads headers from a Headers object in any case', () => {
    expect(verifySlackSignature({ ...base, rawBody: new TextEncoder().encode(valid.rawBody) }).ok).toBe(true);
    const headers = new Headers({
      'x-slack-request-timestamp': String(timestamp),
      'X-SLACK-SIGNATURE': valid.signature,
    });
    expect(verifySlackSignature({ ...base, headers }).ok).toBe(true);
  });

  it('accepts exactly 300 s either way and rejects 301 s', () => {
    expect(verifySlackSignature({ ...base, now: at(timestamp + 300) }).ok).toBe(true);
    expect(verifySlackSignature({ ...base, now: at(timestamp - 300) }).ok).toBe(true);
    expect(verifySlackSignature({ ...base, now: at(timestamp + 301) }).ok).toBe(false);
    expect(verifySlackSignature({ ...base, now: at(timestamp - 301) }).ok).toBe(false);
  });

  it('refuses everything without a secret', () => {
    expect(verifySlackSignature({ ...base, secret: undefined })).toEqual({ ok: false, reason: 'no_secret' });
    expect(verifySlackSignature({ ...base, secret: '' })).toEqual({ ok: false, reason: 'no_secret' });
  });

  it('rejects a request signed with another secret', () => {
    expect(verifySlackSignature({ ...base, secret: `${sample.signingSecret}x` })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  const ts = String(timestamp);
  const sig = valid.signature;
  it.each([
    ['no headers', {}, 'missing_headers'],
    ['no signature', { 'X-Slack-Request-Timestamp': ts }, 'missing_headers'],
    ['no timestamp', { 'X-Slack-Signature': sig }, 'missing_headers'],
    [
      'a decimal timestamp',
      { 'X-Slack-Request-Timestamp': `${ts}.5`, 'X-Slack-Signature': sig },
      'malformed_timestamp',
    ],
    [
      'a negative timestamp',
      { 'X-Slack-Request-Timestamp': `-${ts}`, 'X-Slack-Signature': sig },
      'malformed_timestamp',
    ],
    [
      'a padded timestamp',
      { 'X-Slack-Request-Timestamp': ` ${ts}`, 'X-Slack-Signature': sig },
      'malformed_timestamp',
    ],
    [
      'an ISO timestamp',
      { 'X-Slack-Request-Timestamp': '2026-11-23T08:00:00Z', 'X-Slack-Signature': sig },
      'malformed_timestamp',
    ],
    [
      'two timestamps',
      { 'X-Slack-Request-Timestamp': `${ts}, ${ts}`, 'X-Slack-Signature': sig },
      'malformed_timestamp',
    ],
    [
      'another version',
      { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': sig.replace('v0=', 'v1=') },
      'malformed_signature',
    ],
    [
      'a bare hex signature',
      { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': sig.slice(3) },
      'malformed_signature',
    ],
    [
      'a huge signature',
      { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': `v0=${'a'.repeat(5000)}` },
      'malformed_signature',
    ],
    [
      'a truncated signature',
      { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': sig.slice(0, -2) },
      'signature_mismatch',
    ],
    [
      'an empty v0 signature',
      { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': 'v0=' },
      'signature_mismatch',
    ],
  ])('rejects %s', (_, headers, reason) => {
    expect(verifySlackSignature({ ...base, headers })).toEqual({ ok: false, reason });
  });

  it('rejects the old signature under a new timestamp (replay with a fresh clock)', () => {
    const later = timestamp + 120;
    const check = verifySlackSignature({
      ...base,
      headers: { ...base.headers, 'X-Slack-Request-Timestamp': String(later) },
      now: at(later),
    });
    expect(check).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('rejects a body with anything appended or removed', () => {
    expect(verifySlackSignature({ ...base, rawBody: `${valid.rawBody}&text=pod+x%2Fy` }).ok).toBe(false);
    expect(verifySlackSignature({ ...base, rawBody: valid.rawBody.slice(0, -1) }).ok).toBe(false);
    expect(verifySlackSignature({ ...base, rawBody: '' }).ok).toBe(false);
  });
});
