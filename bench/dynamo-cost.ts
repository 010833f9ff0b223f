// DynamoDB calls and capacity per alert, measured on the wire of the embedded store: every command is asked for
// its consumed capacity (dynalite reports it for item reads and writes); a Query's is estimated from the bytes read.
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemBytes } from '../src/adapters/dynamo/item-size.js';

export interface DynamoTally {
  readonly calls: Map<string, number>;
  /** Capacity units by command (read or write, as the command is). */
  readonly units: Map<string, number>;
  reads: number;
  writes: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

type Item = Record<string, AttributeValue>;

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

/** Counts every command sent through `client` from now on. */
export function tallyDynamo(client: DynamoDBClient): DynamoTally {
  const tally: DynamoTally = { calls: new Map(), units: new Map(), reads: 0, writes: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String((context as { commandName?: string }).commandName ?? 'unknown');
      tally.calls.set(name, (tally.calls.get(name) ?? 0) + 1);
      const input = args.input as { ReturnConsumedCapacity?: string; ConsistentRead?: boolean };
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
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
}
