// The incidents of a history page by key, each with what its lease item recorded: BatchGetItem of both items.
import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Incident } from '../../domain/incident.js';
import { decodeData } from './incident-data.js';
import { RECORDED, withRecorded } from './incident-lease.js';

type Item = Record<string, AttributeValue>;

/** Keys per BatchGetItem request (DynamoDB's limit): 50 incidents, each with its lease item. */
const BATCH_KEYS = 100;

/**
 * The incidents by key (BatchGetItem, retrying what DynamoDB leaves unprocessed), in the order asked, each with
 * the notifications its lease item recorded.
 */
export async function fetchIncidents(
  client: DynamoDBClient,
  tableName: string,
  keys: Item[],
): Promise<Incident[]> {
  const found = new Map<string, Item>();
  const leases = new Map<string, Item>();
  const wanted = keys.flatMap((k) => [k, { pk: k.pk, sk: { S: 'LEASE' } } as Item]);
  for (let at = 0; at < wanted.length; at += BATCH_KEYS) {
    let pending: Item[] = wanted.slice(at, at + BATCH_KEYS);
    for (let round = 0; pending.length > 0 && round < 5; round += 1) {
      const answer = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ProjectionExpression: '#d, pk, sk, #r',
              ExpressionAttributeNames: { '#d': 'data', '#r': RECORDED },
            },
          },
        }),
      );
      for (const item of answer.Responses?.[tableName] ?? []) {
        const pk = item.pk?.S;
        if (!pk) continue;
        if (item.sk?.S === 'LEASE') leases.set(pk, item);
        else if (item.data) found.set(pk, item);
      }
      pending = (answer.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined) ?? [];
    }
  }
  return keys.flatMap((k) => {
    const pk = k.pk?.S ?? '';
    const item = found.get(pk);
    const incident = item ? decodeData(item.data) : undefined;
    return incident ? [withRecorded(incident, leases.get(pk))] : [];
  });
}
