// ReplayGuard on the incident table: one conditional put per signed Slack request (command or button press), expired by TTL.
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ReplayGuard } from '../../ports.js';
import { storeError } from './store-error.js';

/**
 * Lambda runs many api instances, so an in-process cache would let a replay reach another one: the first put of a
 * key wins across all of them. Items carry `expiresAt` (the table's TTL attribute) a little past the signature
 * window; TTL deletes lazily, so the condition also accepts an item whose time has passed.
 */
export class DynamoReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async firstUse(key: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: `SLACKREQ#${key}` },
            sk: { S: 'SLACKREQ' },
            expiresAt: { N: String(Math.ceil(expiresAt.getTime() / 1000)) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(this.now().getTime() / 1000)) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw storeError(error, 'remember a signed Slack request');
    }
  }
}
