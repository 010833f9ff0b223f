// What an incident records about unreadable context: the piece and the reason, with any credential masked.
import { describe, expect, it } from 'vitest';
import { unavailablePieces } from '../../src/domain/incident.js';
import { context } from '../support/contexts.js';

describe('unavailablePieces', () => {
  it('names each unreadable piece with its reason, and masks credentials in the reason', () => {
    const ctx = context({
      previousLog: {
        status: 'unavailable',
        reason: 'GET https://triage:s3cr3t-pass@proxy.example.com/api/v1/... failed: ECONNRESET',
      },
      metrics: { status: 'unavailable', reason: 'Prometheus answered 503' },
    });
    const pieces = unavailablePieces(ctx);
    expect(pieces).toHaveLength(2);
    expect(pieces[0]).toMatch(/^previous log: GET https:\/\/.*proxy\.example\.com/);
    expect(pieces.join('\n')).not.toContain('s3cr3t-pass');
    expect(pieces[1]).toBe('Prometheus metrics: Prometheus answered 503');
  });
});
