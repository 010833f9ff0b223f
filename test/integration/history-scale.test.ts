// The history API pages through a large history by any filter, newest first, with every page a DynamoDB Query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import type { Finding } from '../../src/domain/signature.js';
import { alert, context } from '../support/contexts.js';
import { getJson, type Harness, startHarness } from '../support/harness.js';
import { incidentOf } from '../support/incidents.js';

const TOTAL = 1200;
const NAMESPACES = ['payments', 'shop', 'billing', 'search'];
const NODES = ['node-a', 'node-b', 'node-c'];
const SIGNATURES = ['container-oom-killed', 'conntrack-table-full', 'disk-full'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const all = Array.from({ length: TOTAL }, (_, i) => {
    const startsAt = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
    const namespace = NAMESPACES[i % 4]!;
    const a = {
      ...alert({ namespace, pod: `p-${i}` }),
      startsAt,
      fingerprint: `h${String(i).padStart(15, '0')}`,
    };
    const finding: Finding = {
      signatureId: SIGNATURES[i % 3]!,
      title: 't',
      confidence: 'high',
      summary: 's',
      evidence: [{ source: 'alert', detail: 'd' }],
      remediation: [],
    };
    const ctx = context({ target: { kind: 'pod', namespace, pod: `p-${i}`, node: NODES[i % 3]! } });
    return {
      ...incidentOf(a, ctx, [finding], startsAt, startsAt),
      status: i % 5 === 0 ? 'resolved' : 'firing',
    } as Incident;
  });
  for (let i = 0; i < all.length; i += 50)
    await Promise.all(all.slice(i, i + 50).map((x) => h.store.create(x)));
}, 300_000);
afterAll(async () => {
  await h.close();
});

async function pageAll(query: string): Promise<Incident[]> {
  const items: Incident[] = [];
  let cursor: string | null = null;
  do {
    const response = await getJson(
      h,
      `/incidents?limit=100&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: Incident[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const newestFirst = (items: Incident[]) =>
  items.every((x, i) => i === 0 || items[i - 1]!.startsAt >= x.startsAt);

describe(`history API over ${TOTAL} incidents`, () => {
  it.each([
    ['namespace=shop', (i: Incident) => i.target.namespace === 'shop', 300],
    ['node=node-b', (i: Incident) => i.target.node === 'node-b', 400],
    ['signature=disk-full', (i: Incident) => i.findings[0]?.signatureId === 'disk-full', 400],
    ['status=resolved', (i: Incident) => i.status === 'resolved', 240],
    // The status on another filter's index is checked on the incidents (indexes other than the status index do not
    // carry it): pages still fill and page on.
    [
      'namespace=shop&status=resolved',
      (i: Incident) => i.target.namespace === 'shop' && i.status === 'resolved',
      60,
    ],
    [
      'signature=disk-full&status=firing',
      (i: Incident) => i.findings[0]?.signatureId === 'disk-full' && i.status === 'firing',
      320,
    ],
    [
      'namespace=payments&signature=container-oom-killed',
      (i: Incident) =>
        i.target.namespace === 'payments' && i.findings[0]?.signatureId === 'container-oom-killed',
      100,
    ],
    [
      'since=2026-11-01T10:00:00Z&until=2026-11-01T11:59:59Z',
      (i: Incident) => i.startsAt >= '2026-11-01T10:00' && i.startsAt < '2026-11-01T12:00',
      120,
    ],
  ] as const)('pages %s completely and only that', async (query, matches, expected) => {
    const items = await pageAll(query);
    expect(items).toHaveLength(expected);
    expect(items.every(matches)).toBe(true);
    expect(newestFirst(items)).toBe(true);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });
});
