// Buttons answer to the same lists as /triage: teams, users, and the namespaces a channel or user may touch.
import { describe, expect, it } from 'vitest';
import { parseIds, parseNamespaceGrants } from '../../src/commands/access.js';
import { mayAct } from '../../src/commands/may-act.js';
import type { Incident } from '../../src/domain/incident.js';

const incidentIn = (namespace: string | undefined) =>
  ({
    target: namespace ? { kind: 'pod', namespace, pod: 'p' } : { kind: 'cluster' },
    labels: {},
  }) as unknown as Incident;

const access = {
  teams: parseIds('T0EXAMPLE1', 'SLACK_TEAM_IDS'),
  users: undefined,
  namespaces: parseNamespaceGrants('C0SHOP0001=shop;U0SRE00001=*'),
};
const from = (channel: string, user = 'U0DEV00001') => ({ user, team: 'T0EXAMPLE1', channel });

describe('mayAct', () => {
  it('lets a channel act on incidents of its namespaces only', () => {
    expect(mayAct(from('C0SHOP0001'), incidentIn('shop'), access)).toEqual({ allowed: true });
    expect(mayAct(from('C0SHOP0001'), incidentIn('payments'), access)).toEqual({
      allowed: false,
      reason: 'this channel may not act on incidents of payments',
    });
  });

  it('needs every namespace for an incident about the whole cluster, as a user granted * has', () => {
    expect(mayAct(from('C0SHOP0001'), incidentIn(undefined), access).allowed).toBe(false);
    expect(mayAct(from('C0SHOP0001', 'U0SRE00001'), incidentIn(undefined), access).allowed).toBe(true);
  });

  it('refuses another workspace before looking at the incident', () => {
    expect(mayAct({ ...from('C0SHOP0001'), team: 'T0ELSEWHER' }, incidentIn('shop'), access)).toEqual({
      allowed: false,
      reason: 'this workspace is not allowed to act on triage messages',
    });
  });
});
