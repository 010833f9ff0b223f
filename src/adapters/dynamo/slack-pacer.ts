// Slack pacing shared by every worker: the next free posting slot of a channel lives in DynamoDB, not in a process.
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { storeError } from './store-error.js';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until this process may post to a channel. */
export interface Pacer {
  wait(channel: string): Promise<void>;
}

/**
 * Slack keeps about one message per second per channel for the whole app, not per worker: two workers pacing
 * themselves would post at twice the rate and learn it from 429s. Each post takes the channel's next slot from one
 * item: when the slot is free (in the past) it is taken at once (one write), otherwise the slot is reserved by
 * adding the interval (a second write) and the post waits for it. Concurrent posters get distinct slots.
 */
export class DynamoSlackPacer implements Pacer {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
  ) {}

  async wait(channel: string): Promise<void> {
    if (this.intervalMs <= 0) return;
    const key = { pk: { S: `SLACKPACE#${channel}` }, sk: { S: 'PACE' } };
    const now = this.clock();
    const expiresAt = { N: String(Math.floor(now / 1000) + 3600) };
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET nextAt = :next, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeValues: {
            ':next': { N: String(now + this.intervalMs) },
            ':now': { N: String(now) },
            ':exp': expiresAt,
          },
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw storeError(error, 'take a Slack slot');
    }
    try {
      const reserved = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'ADD nextAt :interval SET expiresAt = :exp',
          ExpressionAttributeValues: { ':interval': { N: String(this.intervalMs) }, ':exp': expiresAt },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const slot = Number(reserved.Attributes?.nextAt?.N ?? '0') - this.intervalMs;
      const waitMs = slot - this.clock();
      if (waitMs > 0) await this.sleep(waitMs);
    } catch (error) {
      throw storeError(error, 'reserve a Slack slot');
    }
  }
}
