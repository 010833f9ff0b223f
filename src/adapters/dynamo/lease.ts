// A lease on one item: the right to do a one-time job (post an incident, report a storm) for a while, taken and
// released with conditional writes. It counts attempts, so a later holder knows an earlier one may have done part.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { storeError } from './store-error.js';

export interface LeaseTarget {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly key: Record<string, AttributeValue>;
  /** Extra condition that must hold to take it, e.g. that the job is not done yet. */
  readonly open: string;
  /** The attribute counting attempts; it survives releases. */
  readonly attempts: string;
  /** Attributes set with the claim (a TTL, say). */
  readonly also?: Record<string, AttributeValue>;
  /** For error messages: what the lease is for. */
  readonly what: string;
}

/**
 * Takes the lease when nobody holds it or the holder's lease ran out: the attempt's number, or undefined when the
 * job is done or held. Claimants are unique per attempt, so a holder never takes its own lease twice.
 */
export async function claimLease(
  target: LeaseTarget,
  claimant: string,
  now: Date,
  leaseMs: number,
): Promise<number | undefined> {
  const also = Object.entries(target.also ?? {});
  try {
    const answer = await target.client.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: target.key,
        UpdateExpression: `SET claimant = :c, claimExpiresAt = :exp${also.map(([name]) => `, ${name} = :${name}`).join('')} ADD ${target.attempts} :one`,
        ConditionExpression: `${target.open} AND (attribute_not_exists(claimExpiresAt) OR claimExpiresAt < :now)`,
        ExpressionAttributeValues: {
          ':c': { S: claimant },
          ':exp': { N: String(now.getTime() + leaseMs) },
          ':now': { N: String(now.getTime()) },
          ':one': { N: '1' },
          ...Object.fromEntries(also.map(([name, value]) => [`:${name}`, value])),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(answer.Attributes?.[target.attempts]?.N ?? '1');
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw storeError(error, `claim ${target.what}`);
  }
}

/** Gives the lease back (the job failed and may be retried at once); a lease held by another is left alone. */
export async function releaseLease(target: LeaseTarget, claimant: string): Promise<void> {
  try {
    await target.client.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: target.key,
        UpdateExpression: 'REMOVE claimant, claimExpiresAt',
        ConditionExpression: 'claimant = :c',
        ExpressionAttributeValues: { ':c': { S: claimant } },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException))
      throw storeError(error, `release ${target.what}`);
  }
}
