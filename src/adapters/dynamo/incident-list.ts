// History queries: picks the index of the most selective filter, filters the rest, pages with signed cursors.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Incident } from '../../domain/incident.js';
import type { IncidentPage, IncidentQuery } from '../../ports.js';
import { INDEXES, type IndexFilter, indexKeys } from './table-schema.js';

type Item = Record<string, AttributeValue>;

export class InvalidCursorError extends Error {
  readonly code = 'invalid_cursor';
}

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

/** At most this many index pages read to fill one answer page when filters discard items. */
const MAX_READS = 10;

export async function listIncidents(
  client: DynamoDBClient,
  tableName: string,
  cursors: CursorCodec,
  q: IncidentQuery,
): Promise<IncidentPage> {
  const chosen = chooseIndex(q);
  const keys = indexKeys(chosen.index);
  const names: Record<string, string> = { '#pk': keys.pk };
  const values: Record<string, AttributeValue> = { ':pk': { S: chosen.value } };
  let keyCondition = '#pk = :pk';
  if (q.since || q.until) {
    names['#sk'] = keys.sk;
    values[':from'] = { S: q.since ?? '0000' };
    values[':to'] = { S: `${q.until ?? '9999'}\uffff` };
    keyCondition += ' AND #sk BETWEEN :from AND :to';
  }
  const filters: string[] = [];
  for (const filter of PRIORITY) {
    const value = q[filter];
    if (value === undefined || filter === chosen.filter) continue;
    const other = INDEXES.find((i) => i.filter === filter);
    if (!other) continue;
    const otherPk = indexKeys(other.name).pk;
    names[`#${filter}`] = otherPk;
    values[`:${filter}`] = { S: `${PREFIX[filter]}${value}` };
    filters.push(`#${filter} = :${filter}`);
  }

  if (q.acknowledged !== undefined) {
    names['#ack'] = 'acknowledgedAt';
    filters.push(q.acknowledged ? 'attribute_exists(#ack)' : 'attribute_not_exists(#ack)');
  }

  const items: Incident[] = [];
  let start = q.cursor ? cursors.decode(q.cursor, q) : undefined;
  let last: Item | undefined;
  for (let reads = 0; reads < MAX_READS && items.length < q.limit; reads += 1) {
    const answer = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: chosen.index,
        KeyConditionExpression: keyCondition,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: q.limit - items.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of answer.Items ?? []) {
      const data = item.data?.S;
      if (data) items.push(JSON.parse(data) as Incident);
    }
    last = answer.LastEvaluatedKey;
    if (!last) break;
    start = last;
  }
  return { items, nextCursor: last ? cursors.encode(last, q) : null };
}
