// History queries: picks the index of the most selective filter (every shard of it), filters the rest, pages with
// signed cursors, and reads the incidents themselves by key (the indexes carry keys and filter attributes only).
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Incident } from '../../domain/incident.js';
import { type IncidentPage, type IncidentQuery, InvalidCursorError } from '../../ports.js';
import { fetchIncidents } from './incident-fetch.js';
import { INDEX_SHARDS, INDEXES, type IndexFilter, indexKeys } from './table-schema.js';

type Item = Record<string, AttributeValue>;

export { InvalidCursorError };

/** Cursors are opaque and bound to their query: an HMAC over the position and the filters. */
export interface CursorCodec {
  encode(position: Item, query: IncidentQuery): string;
  decode(cursor: string, query: IncidentQuery): Item;
}

function queryFingerprint(q: IncidentQuery): string {
  return JSON.stringify([
    q.status,
    q.namespace,
    q.node,
    q.alertname,
    q.signature,
    q.since,
    q.until,
    // Appended only when set, so cursors issued before the filter existed stay valid.
    ...(q.acknowledged === undefined ? [] : [q.acknowledged]),
  ]);
}

export function hmacCursors(secret: string): CursorCodec {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    encode(position, query) {
      const payload = Buffer.from(JSON.stringify({ p: position, q: queryFingerprint(query) })).toString(
        'base64url',
      );
      return `${payload}.${sign(payload)}`;
    },
    decode(cursor, query) {
      const [payload, signature] = cursor.split('.');
      if (!payload || !signature || cursor.length > 4096) throw new InvalidCursorError('cursor is malformed');
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new InvalidCursorError('cursor is not valid');
      }
      let parsed: { p: Item; q: string };
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p: Item; q: string };
      } catch {
        throw new InvalidCursorError('cursor is malformed');
      }
      if (parsed.q !== queryFingerprint(query))
        throw new InvalidCursorError('cursor belongs to a different query');
      return parsed.p;
    },
  };
}

/** Most selective first: the chosen filter is the index key, the rest become filter expressions. */
const PRIORITY: readonly Exclude<IndexFilter, 'all'>[] = [
  'signature',
  'node',
  'alertname',
  'namespace',
  'status',
];

const PREFIX: Record<Exclude<IndexFilter, 'all'>, string> = {
  signature: 'SIG#',
  node: 'NODE#',
  alertname: 'ALERT#',
  namespace: 'NS#',
  status: 'STATUS#',
};

function chooseIndex(q: IncidentQuery): { index: string; filter: IndexFilter; value: string } {
  for (const filter of PRIORITY) {
    const value = q[filter];
    if (value !== undefined) {
      const index = INDEXES.find((i) => i.filter === filter)?.name ?? 'gsi1';
      return { index, filter, value: `${PREFIX[filter]}${value}` };
    }
  }
  return { index: 'gsi1', filter: 'all', value: 'INCIDENT' };
}

/** At most this many index pages read per partition to fill one answer page when filters discard items. */
const MAX_READS = 10;

interface Partition {
  readonly hits: { key: Item; sort: string }[];
  /** The sort key of the last index item read when the partition has more: nothing newer than it is unknown. */
  readonly stoppedAt: string | undefined;
}

/**
 * Newest first across the chosen index's partitions (one, or every shard of a sharded index), then the incidents
 * themselves by key. The cursor is the sort key of the last incident returned: the next page reads below it.
 */
export async function listIncidents(
  client: DynamoDBClient,
  tableName: string,
  cursors: CursorCodec,
  q: IncidentQuery,
): Promise<IncidentPage> {
  const chosen = chooseIndex(q);
  const keys = indexKeys(chosen.index);
  const before = q.cursor ? cursorPosition(cursors.decode(q.cursor, q)) : undefined;
  const names: Record<string, string> = { '#pk': keys.pk, '#sk': keys.sk };
  const values: Record<string, AttributeValue> = {
    ':from': { S: q.since ?? '0000' },
    // Inclusive: the cursor's own incident comes back and is skipped below.
    ':to': { S: before ?? `${q.until ?? '9999'}\uffff` },
  };
  // The status changes when an incident resolves; only the status index carries it (projected into the others,
  // every resolve would rewrite five more index items). With another filter's index, it is checked on the incidents.
  const statusAfter = q.status !== undefined && chosen.filter !== 'status' ? q.status : undefined;
  const filters: string[] = [];
  for (const filter of PRIORITY) {
    const value = q[filter];
    if (value === undefined || filter === chosen.filter || filter === 'status') continue;
    const other = INDEXES.find((i) => i.filter === filter);
    if (!other) continue;
    names[`#${filter}`] = indexKeys(other.name).pk;
    if (other.sharded) {
      values[`:${filter}`] = { S: `${PREFIX[filter]}${value}#` };
      filters.push(`begins_with(#${filter}, :${filter})`);
    } else {
      values[`:${filter}`] = { S: `${PREFIX[filter]}${value}` };
      filters.push(`#${filter} = :${filter}`);
    }
  }

  if (q.acknowledged !== undefined) {
    names['#ack'] = 'acknowledgedAt';
    filters.push(q.acknowledged ? 'attribute_exists(#ack)' : 'attribute_not_exists(#ack)');
  }
  const index = INDEXES.find((i) => i.name === chosen.index);
  const partitions = index?.sharded
    ? Array.from({ length: INDEX_SHARDS }, (_, n) => `${chosen.value}#${n}`)
    : [chosen.value];
  /** The next index page below `position` (the cursor's sort key; inclusive, and skipped when read). */
  const indexPage = async (position: string | undefined) => {
    const read = (pk: string) =>
      readPartition(
        client,
        {
          TableName: tableName,
          IndexName: chosen.index,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ...values,
            ':to': { S: position ?? `${q.until ?? '9999'}\uffff` },
            ':pk': { S: pk },
          },
          ScanIndexForward: false,
        },
        keys.sk,
        position,
        q.limit + 1,
      );
    const read_ = await Promise.all(partitions.map(read));
    // Below the highest point where a partition stopped early, another page of it could hold newer incidents.
    const floor = read_.reduce<string>(
      (max, p) => (p.stoppedAt && p.stoppedAt > max ? p.stoppedAt : max),
      '',
    );
    const merged = read_
      .flatMap((p) => p.hits)
      .filter((hit) => hit.sort >= floor)
      .sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0));
    const hits = merged.slice(0, q.limit);
    return {
      hits,
      more: merged.length > q.limit || floor !== '',
      last: hits.at(-1)?.sort ?? (floor || undefined),
    };
  };
  const encode = (last: string | undefined, more: boolean) =>
    more && last ? cursors.encode({ before: { S: last } }, q) : null;

  if (!statusAfter) {
    const { hits, more, last } = await indexPage(before);
    return {
      items: await fetchIncidents(
        client,
        tableName,
        hits.map((hit) => hit.key),
      ),
      nextCursor: encode(last, more),
    };
  }
  // Fill the page from successive index pages, keeping the incidents in the status asked for; the cursor is the
  // last incident looked at, returned or not.
  const items: Incident[] = [];
  let position = before;
  for (let round = 0; round < MAX_READS; round += 1) {
    const { hits, more, last } = await indexPage(position);
    const found = await fetchIncidents(
      client,
      tableName,
      hits.map((hit) => hit.key),
    );
    const byKey = new Map(found.map((incident) => [`INC#${incident.id}`, incident]));
    for (const [n, hit] of hits.entries()) {
      const incident = byKey.get(hit.key.pk?.S ?? '');
      if (incident?.status === statusAfter) items.push(incident);
      if (items.length === q.limit)
        return { items, nextCursor: encode(hit.sort, more || n < hits.length - 1) };
    }
    if (!more) return { items, nextCursor: null };
    position = last;
  }
  return { items, nextCursor: encode(position, true) };
}

function cursorPosition(position: Item): string {
  const before = position.before?.S;
  if (!before) throw new InvalidCursorError('cursor is not valid');
  return before;
}

async function readPartition(
  client: DynamoDBClient,
  input: QueryCommandInput,
  sortKey: string,
  before: string | undefined,
  want: number,
): Promise<Partition> {
  const hits: { key: Item; sort: string }[] = [];
  let start: Item | undefined;
  for (let reads = 0; reads < MAX_READS; reads += 1) {
    const answer = await client.send(
      new QueryCommand({ ...input, Limit: want, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const item of answer.Items ?? []) {
      const sort = item[sortKey]?.S;
      if (!sort || sort === before || !item.pk || !item.sk) continue;
      hits.push({ key: { pk: item.pk, sk: item.sk }, sort });
    }
    start = answer.LastEvaluatedKey;
    if (!start || hits.length >= want) return { hits, stoppedAt: undefined };
  }
  return { hits, stoppedAt: start?.[sortKey]?.S };
}
