// StormStore on DynamoDB: one item per member under the storm's partition, counted with a consistent Query.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
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

export class DynamoStormStore implements StormStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private expiry(): AttributeValue {
    return { N: String(Math.floor(Date.now() / 1000) + 7 * DAY_SECONDS) };
  }

  async checkIn(stormId: string, member: StormMember): Promise<number> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: pk(stormId),
            sk: { S: `M#${member.incidentId}` },
            data: { S: JSON.stringify(member) },
            expiresAt: this.expiry(),
          },
          // The first check-in wins: a redelivery after the report must not turn a fresh member into an old one.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException))
        throw storeError(error, `storm ${stormId} check-in`);
    }
    return this.count(stormId);
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
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: state(stormId),
          UpdateExpression:
            'SET reportedAt = :at, parent = :parent, truncated = :t REMOVE claimant, claimExpiresAt',
          ExpressionAttributeValues: {
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

  async resolveMember(
    stormId: string,
    incidentId: string,
    at: string,
  ): Promise<{ resolved: number; total: number }> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: pk(stormId), sk: { S: `M#${incidentId}` } },
          UpdateExpression: 'SET resolvedAt = if_not_exists(resolvedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': { S: at } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException))
        throw storeError(error, `storm ${stormId} resolve member`);
    }
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
