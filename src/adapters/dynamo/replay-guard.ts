// Replay protection for signed Slack requests: each signature is accepted once, remembered past Slack's 5-minute window.
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ReplayGuard } from '../../ports.js';
import { storeError } from './store-error.js';

export class DynamoReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async firstSeen(key: string, now: Date, ttlSeconds: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: `SEEN#${key.slice(0, 200)}` },
            sk: { S: 'SEEN' },
            expiresAt: { N: String(Math.floor(now.getTime() / 1000) + ttlSeconds) },
          },
          // An expired item DynamoDB has not deleted yet does not count as seen.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(now.getTime() / 1000)) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw storeError(error, 'remember a Slack request signature');
    }
  }
}
