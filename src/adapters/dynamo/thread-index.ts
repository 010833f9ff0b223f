// ThreadIndex on DynamoDB: small pointer items (with TTL) from a fingerprint or a node-wide fault to its Slack thread.
import { createHash } from 'node:crypto';
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DependencyError, type ThreadIndex, type ThreadRef } from '../../ports.js';

/** A key past 512 bytes (a long group key) is stored by its hash: DynamoDB's partition keys end at 2048 bytes. */
function keyText(k: string): string {
  return Buffer.byteLength(k, 'utf8') <= 512 ? k : `H#${createHash('sha256').update(k).digest('hex')}`;
}

const key = (k: string) => ({ pk: { S: `THREAD#${keyText(k)}` }, sk: { S: 'THREAD' } });

export class DynamoThreadIndex implements ThreadIndex {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async find(k: string): Promise<ThreadRef | undefined> {
    try {
      const answer = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: key(k), ConsistentRead: true }),
      );
      const data = answer.Item?.data?.S;
      const expires = Number(answer.Item?.expiresAt?.N ?? '0');
      // DynamoDB deletes expired items lazily; an expired pointer must not be followed.
      if (!data || expires * 1000 < Date.now()) return undefined;
      return JSON.parse(data) as ThreadRef;
    } catch (error) {
      throw new DependencyError('store', 'thread_read', `read thread ${k}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async remember(k: string, ref: ThreadRef, ttlSeconds: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...key(k),
            data: { S: JSON.stringify(ref) },
            expiresAt: { N: String(Math.floor(Date.now() / 1000) + ttlSeconds) },
          },
        }),
      );
    } catch (error) {
      throw new DependencyError('store', 'thread_write', `write thread ${k}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
