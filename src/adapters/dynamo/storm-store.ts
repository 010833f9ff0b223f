// StormStore on DynamoDB: one item per member under the storm's partition, counted by atomic counters on its state item.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Notification } from '../../domain/incident.js';
import type { StormMember } from '../../domain/storm.js';
import type { StormStore } from '../../ports.js';
import { claimLease, completeLease, type LeaseTarget, releaseLease, takeLease } from './lease.js';
import { storeError } from './store-error.js';

const DAY_SECONDS = 24 * 3600;
const pk = (id: string): AttributeValue => ({ S: `STORM#${id}` });
const state = (id: string) => ({ pk: pk(id), sk: { S: 'STATE' } });

/** The number attributes of an item (the state item's counters). */
function numbers(item: Record<string, AttributeValue> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(item ?? {})) if (value.N) out[name] = Number(value.N);
  return out;
}

export class DynamoStormStore implements StormStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private expiry(): AttributeValue {
    return { N: String(Math.floor(Date.now() / 1000) + 7 * DAY_SECONDS) };
  }

  /**
   * Constant work per member (two or three writes): the member item is written once, then counted with an atomic
   * ADD on the state item.
   * The ADD happens before the member is marked counted, so a worker dying between the two can only count a member
   * twice, never miss one; the count is therefore verified with one Query when it says the storm is complete.
   */
  async checkIn(stormId: string, member: StormMember, size: number): Promise<number> {
    try {
      // The first check-in wins (if_not_exists): a redelivery after the report must not turn a fresh member into an
      // old one. The old item tells whether this member was counted already.
      const old = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: pk(stormId), sk: { S: `M#${member.incidentId}` } },
          UpdateExpression:
            'SET #data = if_not_exists(#data, :data), expiresAt = if_not_exists(expiresAt, :exp)',
          ExpressionAttributeNames: { '#data': 'data' },
          ExpressionAttributeValues: { ':data': { S: JSON.stringify(member) }, ':exp': this.expiry() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const counters = old.Attributes?.counted
        ? await this.counters(stormId)
        : await this.countOnce(stormId, member.incidentId, 'counted', 'members');
      const counted = counters.members ?? 0;
      if (counted < size) return counted;
      // Reported already (a re-sent storm): the exact total was fixed then; re-reading it per member would be O(n²).
      if (counters.memberTotal !== undefined) return counters.memberTotal;
      return await this.count(stormId);
    } catch (error) {
      throw storeError(error, `storm ${stormId} check-in`);
    }
  }

  /**
   * Adds a member not counted yet to the state item's `counter`, then marks it with `marker`; answers the state
   * item's counters after the addition.
   */
  private async countOnce(
    stormId: string,
    incidentId: string,
    marker: string,
    counter: string,
  ): Promise<Record<string, number>> {
    const added = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: state(stormId),
        UpdateExpression: `ADD ${counter} :one SET expiresAt = if_not_exists(expiresAt, :exp)`,
        ExpressionAttributeValues: { ':one': { N: '1' }, ':exp': this.expiry() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: pk(stormId), sk: { S: `M#${incidentId}` } },
        UpdateExpression: `SET ${marker} = :t`,
        ExpressionAttributeValues: { ':t': { BOOL: true } },
      }),
    );
    return numbers(added.Attributes);
  }

  /** The state item's counters: members checked in, members resolved, and the exact total fixed at the report. */
  private async counters(stormId: string): Promise<Record<string, number>> {
    const answer = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: state(stormId),
        ConsistentRead: true,
        ProjectionExpression: 'members, resolved, memberTotal, resolvedReportedAt',
      }),
    );
    const counters = numbers(answer.Item);
    // Told already: a re-sent resolve needs no exact count (the claim to tell it again fails anyway).
    if (answer.Item?.resolvedReportedAt) counters.told = 1;
    return counters;
  }

  /** Every page of the storm's member items (consistent reads), in the shape `select` asks for. */
  private async *memberPages(
    stormId: string,
    select: { Select: 'COUNT' } | { ProjectionExpression: string } | Record<string, never>,
  ): AsyncGenerator<{ count: number; items: Record<string, AttributeValue>[] }> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const answer = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
          ExpressionAttributeValues: { ':pk': pk(stormId), ':m': { S: 'M#' } },
          ConsistentRead: true,
          ...select,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      yield { count: answer.Count ?? 0, items: answer.Items ?? [] };
      start = answer.LastEvaluatedKey;
    } while (start);
  }

  private async count(stormId: string): Promise<number> {
    let total = 0;
    try {
      for await (const page of this.memberPages(stormId, { Select: 'COUNT' })) total += page.count;
    } catch (error) {
      throw storeError(error, `storm ${stormId} count`);
    }
    return total;
  }

  async members(stormId: string): Promise<StormMember[]> {
    const members: StormMember[] = [];
    try {
      for await (const page of this.memberPages(stormId, {}))
        for (const item of page.items) if (item.data?.S) members.push(JSON.parse(item.data.S) as StormMember);
    } catch (error) {
      throw storeError(error, `storm ${stormId} members`);
    }
    return members;
  }

  /** The lease to report a storm: only until it is reported; the claim also sets the state item's TTL. */
  private reportLease(stormId: string): LeaseTarget {
    return {
      client: this.client,
      tableName: this.tableName,
      key: state(stormId),
      open: 'attribute_not_exists(reportedAt)',
      attempts: 'reportAttempts',
      also: { expiresAt: this.expiry() },
      what: `report of storm ${stormId}`,
    };
  }

  claimReport(stormId: string, claimant: string, now: Date, leaseMs: number): Promise<number | undefined> {
    return claimLease(this.reportLease(stormId), claimant, now, leaseMs);
  }

  releaseReport(stormId: string, claimant: string): Promise<void> {
    return releaseLease(this.reportLease(stormId), claimant);
  }

  async markReported(stormId: string, parent: Notification, truncated = 0): Promise<void> {
    try {
      // The exact number of members, fixed now: the members counter may have counted a member twice (see checkIn).
      const memberTotal = await this.count(stormId);
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: state(stormId),
          UpdateExpression:
            'SET reportedAt = :at, parent = :parent, truncated = :t, memberTotal = :n REMOVE claimant, claimExpiresAt',
          ExpressionAttributeValues: {
            ':n': { N: String(memberTotal) },
            ':at': { S: new Date().toISOString() },
            ':parent': { S: JSON.stringify(parent) },
            ':t': { N: String(truncated) },
          },
        }),
      );
    } catch (error) {
      throw storeError(error, `storm ${stormId} report`);
    }
  }

  /** As checkIn: a counter, with the exact count read once the counter says every member has resolved. */
  async resolveMember(
    stormId: string,
    incidentId: string,
    at: string,
  ): Promise<{ resolved: number; total: number }> {
    try {
      const old = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: pk(stormId), sk: { S: `M#${incidentId}` } },
          UpdateExpression: 'SET resolvedAt = if_not_exists(resolvedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': { S: at } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const counters = old.Attributes?.resolveCounted
        ? await this.counters(stormId)
        : await this.countOnce(stormId, incidentId, 'resolveCounted', 'resolved');
      const resolved = counters.resolved ?? 0;
      const total = counters.memberTotal ?? counters.members ?? 0;
      if (resolved < total) return { resolved, total };
      if (counters.told) return { resolved: total, total };
    } catch (error) {
      // Not a member (checked in before this store existed, say): the member items decide.
      if (!(error instanceof ConditionalCheckFailedException))
        throw storeError(error, `storm ${stormId} resolve member`);
    }
    return this.resolvedCount(stormId);
  }

  /** The exact count, from the member items: read only when the counters say the storm has resolved. */
  private async resolvedCount(stormId: string): Promise<{ resolved: number; total: number }> {
    let resolved = 0;
    let total = 0;
    try {
      for await (const page of this.memberPages(stormId, { ProjectionExpression: 'resolvedAt' })) {
        total += page.items.length;
        resolved += page.items.filter((item) => item.resolvedAt).length;
      }
    } catch (error) {
      throw storeError(error, `storm ${stormId} resolved count`);
    }
    return { resolved, total };
  }

  /** The lease to tell the storm's thread it resolved: only once reported, until told; its own holder attributes. */
  private resolvedLease(stormId: string): LeaseTarget {
    return {
      client: this.client,
      tableName: this.tableName,
      key: state(stormId),
      open: 'attribute_exists(reportedAt) AND attribute_not_exists(resolvedReportedAt)',
      attempts: 'resolveAttempts',
      holder: { claimant: 'resolveClaimant', expires: 'resolveClaimExpiresAt' },
      what: `resolve report of storm ${stormId}`,
    };
  }

  async claimResolvedReport(
    stormId: string,
    claimant: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ parent: Notification; truncated: number; attempt: number } | undefined> {
    const lease = await takeLease(this.resolvedLease(stormId), claimant, now, leaseMs);
    if (!lease) return undefined;
    const parent = lease.item.parent?.S;
    if (!parent) return undefined;
    return {
      parent: JSON.parse(parent) as Notification,
      truncated: Number(lease.item.truncated?.N ?? '0'),
      attempt: lease.attempt,
    };
  }

  releaseResolvedReport(stormId: string, claimant: string): Promise<void> {
    return releaseLease(this.resolvedLease(stormId), claimant);
  }

  markResolvedReported(stormId: string, at: Date): Promise<void> {
    return completeLease(this.resolvedLease(stormId), 'resolvedReportedAt', at.toISOString());
  }
}
