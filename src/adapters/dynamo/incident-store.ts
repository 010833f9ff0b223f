// IncidentStore on DynamoDB: conditional writes for idempotency, one index per history filter, signed cursors; each
// incident is two items, the incident (compressed) and its small lease item (incident-lease.ts).
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Incident, Notification } from '../../domain/incident.js';
import {
  DependencyError,
  type IncidentPage,
  type IncidentQuery,
  type IncidentStore,
  type Recurrence,
  type RecurrenceQuery,
} from '../../ports.js';
import { incidentFromItem } from './incident-data.js';
import { expiresAt, incidentUpdate, key, toItem } from './incident-item.js';
import {
  leaseKey,
  newLeaseItem,
  RECORDED,
  recordedEntry,
  seedLease,
  withRecorded,
} from './incident-lease.js';
import { type CursorCodec, InvalidCursorError, listIncidents } from './incident-list.js';
import { findRecurrence } from './incident-recurrence.js';
import { claimLease, completeLease, type LeaseTarget, releaseLease } from './lease.js';
import { storeError } from './store-error.js';

/** Tries of an optimistic write before giving up, and the backoff between them (full jitter, doubling). */
const WRITE_TRIES = 5;
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 1000;

export interface StoreTiming {
  /** Waits between conflicting tries (injected by tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for the jitter (injected by tests). */
  readonly random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DynamoIncidentStore implements IncidentStore {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly cursors: CursorCodec,
    timing: StoreTiming = {},
  ) {
    this.sleep = timing.sleep ?? realSleep;
    this.random = timing.random ?? Math.random;
  }

  /**
   * Both items of the incident in one consistent Query (charged for their combined size, one read unit for a
   * typical incident): the incident with the notifications its lease item recorded, and its version.
   */
  private async read(id: string): Promise<{ incident: Incident; version: number } | undefined> {
    const answer = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `INC#${id}` } },
        ConsistentRead: true,
      }),
    );
    const items = answer.Items ?? [];
    const item = items.find((i) => i.sk?.S === 'INC');
    if (!item) return undefined;
    const lease = items.find((i) => i.sk?.S === 'LEASE');
    return { incident: withRecorded(incidentFromItem(item), lease), version: Number(item.version?.N ?? '0') };
  }

  async get(id: string): Promise<Incident | undefined> {
    try {
      return (await this.read(id))?.incident;
    } catch (error) {
      throw storeError(error, `get incident ${id}`);
    }
  }

  /** The incident item, then its lease item (a missing lease item is seeded later, see seedLease). */
  async create(incident: Incident): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(incident, 1),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw storeError(error, `create incident ${incident.id}`);
    }
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: newLeaseItem(incident.id, expiresAt(incident)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException))
        throw storeError(error, `create the lease item of ${incident.id}`);
    }
    return 'created';
  }

  /**
   * Read, change, write back if nobody wrote in between (optimistic locking on `version`). The write is a partial
   * update: attributes the incident does not own (a lease and its attempt count) survive it.
   */
  private async mutate(
    id: string,
    change: (incident: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    for (let attempt = 0; attempt < WRITE_TRIES; attempt += 1) {
      // Writers that collided once collide again if they retry in step: a random share of a doubling delay
      // ("full jitter") spreads them out.
      if (attempt > 0)
        await this.sleep(
          Math.round(this.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))),
        );
      const current = await this.read(id);
      if (!current) return undefined;
      const next = change(current.incident);
      if (!next) return undefined;
      try {
        const update = incidentUpdate(next, current.version + 1);
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: key(id),
            ...update,
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: {
              ...update.ExpressionAttributeValues,
              ':v': { N: String(current.version) },
            },
          }),
        );
        return next;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new DependencyError('store', 'contention', `incident ${id} kept changing under concurrent writers`);
  }

  async resolve(id: string, endsAt: string | null, now: string): Promise<Incident | undefined> {
    try {
      return await this.mutate(id, (incident) =>
        incident.status === 'firing'
          ? {
              ...incident,
              status: 'resolved',
              endsAt,
              updatedAt: now,
              timeline: [...(incident.timeline ?? []), { at: endsAt ?? now, event: 'resolved' }],
            }
          : undefined,
      );
    } catch (error) {
      throw storeError(error, `resolve incident ${id}`);
    }
  }

  /** The lease to notify an incident: only while the incident exists and is not notified yet. */
  private notifyLease(id: string): LeaseTarget {
    return {
      client: this.client,
      tableName: this.tableName,
      key: leaseKey(id),
      open: 'attribute_exists(pk) AND attribute_not_exists(notifiedAt)',
      attempts: 'notifyAttempts',
      what: `notification of ${id}`,
      seed: () => seedLease(this.client, this.tableName, id),
    };
  }

  claimNotification(id: string, claimant: string, now: Date, leaseMs: number): Promise<number | undefined> {
    return claimLease(this.notifyLease(id), claimant, now, leaseMs);
  }

  releaseNotification(id: string, claimant: string): Promise<void> {
    return releaseLease(this.notifyLease(id), claimant);
  }

  /** The lease to tell the incident's thread it resolved: only once notified, until told. */
  private resolveLease(id: string): LeaseTarget {
    return {
      client: this.client,
      tableName: this.tableName,
      key: leaseKey(id),
      open: 'attribute_exists(notifiedAt) AND attribute_not_exists(resolveNoticedAt)',
      attempts: 'resolveAttempts',
      holder: { claimant: 'resolveClaimant', expires: 'resolveClaimExpiresAt' },
      // A resolve that arrives while the post is being made waits for it, instead of finding nothing to tell.
      after: { expires: 'claimExpiresAt', done: 'notifiedAt' },
      what: `resolve notice of ${id}`,
      seed: () => seedLease(this.client, this.tableName, id),
    };
  }

  claimResolveNotice(id: string, claimant: string, now: Date, leaseMs: number): Promise<number | undefined> {
    return claimLease(this.resolveLease(id), claimant, now, leaseMs);
  }

  releaseResolveNotice(id: string, claimant: string): Promise<void> {
    return releaseLease(this.resolveLease(id), claimant);
  }

  markResolveNoticed(id: string, at: Date): Promise<void> {
    return completeLease(this.resolveLease(id), 'resolveNoticedAt', at.toISOString());
  }

  /**
   * One small write on the lease item: the notification and when (readers add it to the incident, the incident's
   * next write stores it) and `notifiedAt`, which closes the notify lease. Folded together, recording a post costs
   * one write unit instead of a read and a rewrite of the whole incident.
   */
  async recordNotification(id: string, notification: Notification, now: string): Promise<void> {
    const lease = this.notifyLease(id);
    const record = () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: lease.key,
          UpdateExpression: `SET notifiedAt = if_not_exists(notifiedAt, :at), ${RECORDED} = list_append(if_not_exists(${RECORDED}, :none), :entry)`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':at': { S: now },
            ':none': { L: [] },
            ':entry': { L: [recordedEntry({ notification, at: now })] },
          },
        }),
      );
    try {
      try {
        await record();
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // No lease item: an incident stored by the first item shape (seeded now), or no incident at all.
        if (!(await seedLease(this.client, this.tableName, id))) return;
        await record();
      }
    } catch (error) {
      throw storeError(error, `record notification of ${id}`);
    }
  }

  async recordDeliveryFailure(id: string, reason: string, now: string): Promise<void> {
    try {
      await this.mutate(id, (incident) => ({
        ...incident,
        delivery: {
          status: 'failed',
          attempts: (incident.delivery?.attempts ?? 0) + 1,
          at: now,
          lastError: reason.slice(0, 300),
        },
        timeline: [
          ...(incident.timeline ?? []),
          { at: now, event: 'delivery-failed', detail: reason.slice(0, 300) },
        ],
        updatedAt: now,
      }));
    } catch (error) {
      throw storeError(error, `record delivery failure of ${id}`);
    }
  }

  async update(
    id: string,
    change: (incident: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    try {
      return await this.mutate(id, change);
    } catch (error) {
      throw storeError(error, `update incident ${id}`);
    }
  }

  async recurrence(query: RecurrenceQuery): Promise<Recurrence | undefined> {
    try {
      return await findRecurrence(this.client, this.tableName, query);
    } catch (error) {
      throw storeError(error, 'read recurrence');
    }
  }

  async list(query: IncidentQuery): Promise<IncidentPage> {
    try {
      return await listIncidents(this.client, this.tableName, this.cursors, query);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw error;
      throw storeError(error, 'list incidents');
    }
  }
}
