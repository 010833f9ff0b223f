// DynamoDB calls and capacity per alert, measured on the wire of the embedded store: every command is asked for
// its consumed capacity (dynalite reports it for item reads and writes); a Query's is estimated from the bytes read.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoTally {
  readonly calls: Map<string, number>;
  reads: number;
  writes: number;
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

/** Counts every command sent through `client` from now on. */
export function tallyDynamo(client: DynamoDBClient): DynamoTally {
  const tally: DynamoTally = { calls: new Map(), reads: 0, writes: 0 };
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
        // A Query: 4 KB per read unit over the bytes returned, half for an eventually consistent read.
        const bytes = JSON.stringify(output.Items).length;
        units = Math.max(1, Math.ceil(bytes / 4096)) * (input.ConsistentRead ? 1 : 0.5);
      }
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
  tally.reads = 0;
  tally.writes = 0;
}
