// DynamoDB calls and capacity per alert, measured on the wire of the embedded store: every command is asked for
// its consumed capacity (dynalite reports it for item reads and writes); a Query's is estimated from the bytes read,
// and index writes are counted from what each write changes of the index keys and projected attributes.
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemBytes } from '../src/adapters/dynamo/item-size.js';
import { INDEXES, indexKeys, indexProjection } from '../src/adapters/dynamo/table-schema.js';

export interface DynamoTally {
  readonly calls: Map<string, number>;
  /** Capacity units by command (read or write, as the command is). */
  readonly units: Map<string, number>;
  reads: number;
  writes: number;
  /** Index item writes (1 KB each at most, so one write unit each): a key change is a delete and a put. */
  indexWrites: number;
  /** Conditional writes refused: DynamoDB charges them as writes (counted in `writes`, one unit each). */
  refused: number;
}

type IndexState = Record<string, string | undefined>;

const INDEX_ATTRIBUTES = new Set(
  INDEXES.flatMap((i) => [...Object.values(indexKeys(i.name)), ...indexProjection(i.name)]),
);

const text = (v: AttributeValue | undefined) => v?.S ?? v?.N;

/** Index item writes caused by an item going from `before` to `after` (undefined: absent). */
function indexWritesFor(before: IndexState | undefined, after: IndexState): number {
  let n = 0;
  for (const index of INDEXES) {
    const keys = indexKeys(index.name);
    const had = before?.[keys.pk] !== undefined && before?.[keys.sk] !== undefined;
    const has = after[keys.pk] !== undefined && after[keys.sk] !== undefined;
    if (had && has) {
      if (before?.[keys.pk] !== after[keys.pk] || before?.[keys.sk] !== after[keys.sk]) n += 2;
      else if (indexProjection(index.name).some((a) => before?.[a] !== after[a])) n += 1;
    } else if (had || has) n += 1;
  }
  return n;
}

/** What a PutItem or UpdateItem sets of the index attributes, given what the item held (bench writes only). */
function indexStateAfter(
  name: string,
  input: Record<string, unknown>,
  before: IndexState | undefined,
): IndexState | undefined {
  if (name === 'PutItemCommand') {
    const item = input.Item as Item;
    return Object.fromEntries([...INDEX_ATTRIBUTES].map((a) => [a, text(item[a])]));
  }
  if (name !== 'UpdateItemCommand') return undefined;
  const expression = String(input.UpdateExpression ?? '');
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Item;
  const after: IndexState = { ...before };
  const [setPart = '', removePart = ''] = expression.replace(/^SET /, '').split(' REMOVE ');
  for (const [, n, v] of setPart.matchAll(/(#\w+) = (:\w+)/g)) {
    const attribute = names[n ?? ''] ?? '';
    if (INDEX_ATTRIBUTES.has(attribute)) after[attribute] = text(values[v ?? '']);
  }
  for (const [n] of removePart.matchAll(/#\w+/g)) {
    const attribute = names[n] ?? '';
    if (INDEX_ATTRIBUTES.has(attribute)) after[attribute] = undefined;
  }
  return after;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

type Item = Record<string, AttributeValue>;

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

/** Counts every command sent through `client` from now on. */
export function tallyDynamo(client: DynamoDBClient): DynamoTally {
  const tally: DynamoTally = {
    calls: new Map(),
    units: new Map(),
    reads: 0,
    writes: 0,
    indexWrites: 0,
    refused: 0,
  };
  const indexed = new Map<string, IndexState>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String((context as { commandName?: string }).commandName ?? 'unknown');
      tally.calls.set(name, (tally.calls.get(name) ?? 0) + 1);
      const input = args.input as { ReturnConsumedCapacity?: string; ConsistentRead?: boolean };
      input.ReturnConsumedCapacity = 'TOTAL';
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
          tally.refused += 1;
          tally.writes += 1;
          tally.units.set(name, (tally.units.get(name) ?? 0) + 1);
        }
        throw error;
      }
      const write = args.input as Record<string, unknown>;
      const key = write.Key ?? write.Item;
      if (WRITES.has(name) && key) {
        const k = key as Item;
        const id = `${text(k.pk)}|${text(k.sk)}`;
        const before = indexed.get(id);
        const after = indexStateAfter(name, write, before);
        if (after && [...INDEX_ATTRIBUTES].some((a) => after[a] !== undefined || before?.[a] !== undefined)) {
          tally.indexWrites += indexWritesFor(before, after);
          indexed.set(id, after);
        }
      }
      const output = result.output as { ConsumedCapacity?: Capacity; Items?: unknown[] };
      const reported = [output.ConsumedCapacity ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      let units = reported;
      if (units === 0 && output.Items) {
        // A Query: 4 KB per read unit over the bytes returned, half for an eventually consistent read. (DynamoDB
        // charges the items read before a filter; for the queries here, filters drop few or none.)
        const bytes = (output.Items as Item[]).reduce((n, item) => n + itemBytes(item), 0);
        units = Math.max(1, Math.ceil(bytes / 4096)) * (input.ConsistentRead ? 1 : 0.5);
      }
      tally.units.set(name, (tally.units.get(name) ?? 0) + units);
      if (WRITES.has(name)) tally.writes += units;
      else tally.reads += units;
      return result;
    },
    { step: 'initialize', name: 'tallyDynamo' },
  );
  return tally;
}

export function resetTally(tally: DynamoTally): void {
  tally.calls.clear();
  tally.units.clear();
  tally.reads = 0;
  tally.writes = 0;
  tally.indexWrites = 0;
  tally.refused = 0;
}
