// One rule per identifier: every catalog signature id and every incident id triage makes pass it; near misses do not.
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { IncidentIdSchema, SignatureIdSchema } from '../../src/domain/identifiers.js';
import { incidentId } from '../../src/domain/incident.js';

describe('signature ids', () => {
  it('admits every catalog id (so stored overrides of them stay valid)', () => {
    const refused = BUILT_IN_SIGNATURES.map((s) => s.id).filter(
      (id) => !SignatureIdSchema.safeParse(id).success,
    );
    expect(BUILT_IN_SIGNATURES.length).toBeGreaterThan(10);
    expect(refused).toEqual([]);
  });

  it.each([['a'], ['-oom'], ['OOM'], ['oom_killed'], ['x'.repeat(81)]])('refuses %j', (id) => {
    expect(SignatureIdSchema.safeParse(id).success).toBe(false);
  });

  it('admits 2 and 80 characters, the bounds PUT /playbooks has always stored under', () => {
    expect(SignatureIdSchema.safeParse('ab').success).toBe(true);
    expect(SignatureIdSchema.safeParse('a'.repeat(80)).success).toBe(true);
  });
});

describe('incident ids', () => {
  it('admits the ids triage makes, with and without a parsable startsAt', () => {
    for (const startsAt of [
      '2026-11-23T08:41:12.052Z',
      '2026-11-23T09:41:12.052123+01:00',
      'garbage at 08:41',
    ])
      expect(
        IncidentIdSchema.safeParse(incidentId({ fingerprint: 'a76bd1c921158f3a', startsAt })).success,
      ).toBe(true);
  });

  it.each([[''], ['a/b'], ['a b'], ['x'.repeat(201)]])('refuses %j', (id) => {
    expect(IncidentIdSchema.safeParse(id).success).toBe(false);
  });
});
