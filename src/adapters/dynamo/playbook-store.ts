// PlaybookStore on DynamoDB: operators' signatures and tombstones in one partition of the incident table.
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { PlaybookEntry } from '../../domain/playbook.js';
import type { PlaybookStore } from '../../ports.js';
import { storeError } from './store-error.js';

const PARTITION = 'PLAYBOOK';

export class DynamoPlaybookStore implements PlaybookStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async entries(): Promise<PlaybookEntry[]> {
    const entries: PlaybookEntry[] = [];
    let start: Record<string, AttributeValue> | undefined;
    try {
      do {
        const answer = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: PARTITION } },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of answer.Items ?? []) {
          const data = item.data?.S;
          if (data) entries.push(JSON.parse(data) as PlaybookEntry);
        }
        start = answer.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      throw storeError(error, 'read playbook');
    }
    return entries;
  }

  async put(entry: PlaybookEntry): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: { S: PARTITION }, sk: { S: entry.id }, data: { S: JSON.stringify(entry) } },
        }),
      );
    } catch (error) {
      throw storeError(error, `store signature ${entry.id}`);
    }
  }

  async remove(id: string): Promise<boolean> {
    try {
      const answer = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: PARTITION }, sk: { S: id } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return answer.Attributes !== undefined;
    } catch (error) {
      throw storeError(error, `remove signature ${id}`);
    }
  }
}
