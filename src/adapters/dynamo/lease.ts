// A lease on one item: the right to do a one-time job (post an incident, report a storm) for a while, taken and
// released with conditional writes. It counts attempts, so a later holder knows an earlier one may have done part.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LeaseHeldError } from '../../ports.js';
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
  /**
   * The attributes naming the holder and its expiry. Two leases on one item (notify, and tell the resolve) need
   * their own, so that holding one never blocks or releases the other.
   */
  readonly holder?: { readonly claimant: string; readonly expires: string };
  /**
   * For a lease kept on an item of its own that may be missing (see incident-lease.ts): creates it from what is
   * known, false when there is nothing to lease. Called when a claim fails and the item turns out to be absent.
   */
  readonly seed?: () => Promise<boolean>;
  /**
   * The expiry attribute of a lease this job waits for (telling the resolve waits for the post): while that one is
   * held, this one counts as held too, so the delivery comes back rather than skip the job for good.
   */
  readonly after?: { readonly expires: string; readonly done: string };
}

const DEFAULT_HOLDER = { claimant: 'claimant', expires: 'claimExpiresAt' } as const;

export interface Lease {
  /** The attempt's number: more than 1 means an earlier holder may have done part of the job. */
  readonly attempt: number;
  /** The item as the claim left it. */
  readonly item: Record<string, AttributeValue>;
}

/**
 * Takes the lease when nobody holds it or the holder's lease ran out: the attempt's number, or undefined when the
 * job is done (or cannot be done yet). Throws LeaseHeldError while another attempt holds it: that attempt may still
 * fail, and a delivery that answered "done" would be deleted from the queue with nothing left to retry the job.
 * Claimants are unique per attempt, so a holder never takes its own lease twice.
 */
export async function claimLease(
  target: LeaseTarget,
  claimant: string,
  now: Date,
  leaseMs: number,
): Promise<number | undefined> {
  return (await take(target, claimant, now, leaseMs, 'UPDATED_NEW'))?.attempt;
}

/** As claimLease, answering the item too (what an earlier step recorded for the job). */
export function takeLease(
  target: LeaseTarget,
  claimant: string,
  now: Date,
  leaseMs: number,
): Promise<Lease | undefined> {
  return take(target, claimant, now, leaseMs, 'ALL_NEW');
}

async function take(
  target: LeaseTarget,
  claimant: string,
  now: Date,
  leaseMs: number,
  returnValues: 'UPDATED_NEW' | 'ALL_NEW',
): Promise<Lease | undefined> {
  const taken = await takeOnce(target, claimant, now, leaseMs, returnValues);
  if (taken) return taken;
  // Refused: done, held, or (for a lease on an item of its own) the item is missing; only the last is retried.
  const refused = await state(target);
  if (refused.heldUntil !== undefined && refused.heldUntil >= now.getTime())
    throw new LeaseHeldError(target.what, refused.heldUntil - now.getTime());
  if (refused.exists || !target.seed || !(await target.seed())) return undefined;
  return takeOnce(target, claimant, now, leaseMs, returnValues);
}

/** Whether the lease's item exists, and until when a holder holds it (a consistent read of two attributes). */
async function state(target: LeaseTarget): Promise<{ exists: boolean; heldUntil?: number }> {
  const holder = target.holder ?? DEFAULT_HOLDER;
  const { after } = target;
  const names = [holder.expires, ...(after ? [after.expires, after.done] : [])];
  try {
    const answer = await target.client.send(
      new GetItemCommand({
        TableName: target.tableName,
        Key: target.key,
        ConsistentRead: true,
        ProjectionExpression: ['pk', ...names.map((_, i) => `#e${i}`)].join(', '),
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#e${i}`, name])),
      }),
    );
    const item = answer.Item;
    const awaited = after && !item?.[after.done] ? [after.expires] : [];
    const expiries = [holder.expires, ...awaited].flatMap((name) => {
      const n = item?.[name]?.N;
      return n ? [Number(n)] : [];
    });
    return {
      exists: item !== undefined,
      ...(expiries.length > 0 ? { heldUntil: Math.max(...expiries) } : {}),
    };
  } catch (error) {
    throw storeError(error, `read ${target.what}`);
  }
}

async function takeOnce(
  target: LeaseTarget,
  claimant: string,
  now: Date,
  leaseMs: number,
  returnValues: 'UPDATED_NEW' | 'ALL_NEW',
): Promise<Lease | undefined> {
  const also = Object.entries(target.also ?? {});
  const holder = target.holder ?? DEFAULT_HOLDER;
  try {
    const answer = await target.client.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: target.key,
        UpdateExpression: `SET ${holder.claimant} = :c, ${holder.expires} = :exp${also.map(([name]) => `, ${name} = :${name}`).join('')} ADD ${target.attempts} :one`,
        ConditionExpression: `${target.open} AND (attribute_not_exists(${holder.expires}) OR ${holder.expires} < :now)`,
        ExpressionAttributeValues: {
          ':c': { S: claimant },
          ':exp': { N: String(now.getTime() + leaseMs) },
          ':now': { N: String(now.getTime()) },
          ':one': { N: '1' },
          ...Object.fromEntries(also.map(([name, value]) => [`:${name}`, value])),
        },
        ReturnValues: returnValues,
      }),
    );
    const item = answer.Attributes ?? {};
    return { attempt: Number(item[target.attempts]?.N ?? '1'), item };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw storeError(error, `claim ${target.what}`);
  }
}

/** Gives the lease back (the job failed and may be retried at once); a lease held by another is left alone. */
export async function releaseLease(target: LeaseTarget, claimant: string): Promise<void> {
  const holder = target.holder ?? DEFAULT_HOLDER;
  try {
    await target.client.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: target.key,
        UpdateExpression: `REMOVE ${holder.claimant}, ${holder.expires}`,
        ConditionExpression: `${holder.claimant} = :c`,
        ExpressionAttributeValues: { ':c': { S: claimant } },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException))
      throw storeError(error, `release ${target.what}`);
  }
}

/** Marks the job done (`doneAttribute` set: the lease's `open` condition no longer holds) and drops the lease. */
export async function completeLease(target: LeaseTarget, doneAttribute: string, at: string): Promise<void> {
  const holder = target.holder ?? DEFAULT_HOLDER;
  try {
    await target.client.send(
      new UpdateItemCommand({
        TableName: target.tableName,
        Key: target.key,
        UpdateExpression: `SET ${doneAttribute} = :at REMOVE ${holder.claimant}, ${holder.expires}`,
        ExpressionAttributeValues: { ':at': { S: at } },
      }),
    );
  } catch (error) {
    throw storeError(error, `complete ${target.what}`);
  }
}
