// IncidentStore on DynamoDB: conditional writes for idempotency, one index per history filter, signed cursors.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Incident, Notification } from '../../domain/incident.js';
import { DependencyError, type IncidentPage, type IncidentQuery, type IncidentStore } from '../../ports.js';
import { type CursorCodec, InvalidCursorError, listIncidents } from './incident-list.js';
import { fittedData, indexable } from './item-size.js';
import { claimLease, completeLease, type LeaseTarget, releaseLease } from './lease.js';
import { storeError } from './store-error.js';
import { INDEXES, indexKeys } from './table-schema.js';

type Item = Record<string, AttributeValue>;

/** Incidents are kept this long after their last update (DynamoDB TTL on `expiresAt`). */
const RETENTION_SECONDS = 180 * 24 * 3600;

const key = (id: string): Item => ({ pk: { S: `INC#${id}` }, sk: { S: 'INC' } });

/** The index key values an incident is found under; an absent dimension leaves that index sparse. */
export function indexValues(incident: Incident): Record<string, string | undefined> {
  const sort = `${incident.startsAt}#${incident.id}`;
  const dims: Record<(typeof INDEXES)[number]['filter'], string | undefined> = {
    all: 'INCIDENT',
    status: `STATUS#${incident.status}`,
    namespace: incident.target.namespace ? `NS#${incident.target.namespace}` : undefined,
    node: incident.target.node ? `NODE#${incident.target.node}` : undefined,
    alertname: `ALERT#${incident.alertname}`,
    signature: incident.findings[0] ? `SIG#${incident.findings[0].signatureId}` : 'SIG#none',
  };
  const out: Record<string, string | undefined> = {};
  for (const index of INDEXES) {
    const keys = indexKeys(index.name);
    const pk = indexable(dims[index.filter]);
    out[keys.pk] = pk;
    out[keys.sk] = pk === undefined ? undefined : sort;
  }
  return out;
}

function toItem(incident: Incident, version: number, extra: Item = {}): Item {
  const item: Item = { ...key(incident.id), ...extra };
  for (const [name, value] of Object.entries(incidentAttributes(incident, version)))
    if (value) item[name] = value;
  return item;
}

/**
 * What the incident owns on its item: its data, version, status, TTL and index keys (undefined: to be removed).
 * The lease attributes (`claimant`, `claimExpiresAt`, `notifyAttempts`, …) are not among them, so no write of the
 * incident can reset a lease's attempt count.
 */
function incidentAttributes(incident: Incident, version: number): Record<string, AttributeValue | undefined> {
  const out: Record<string, AttributeValue | undefined> = {
    data: { S: fittedData(incident) },
    version: { N: String(version) },
    status: { S: incident.status },
    expiresAt: { N: String(Math.floor(Date.parse(incident.updatedAt) / 1000) + RETENTION_SECONDS) },
  };
  // Set once notified and never removed: the notify lease is open only while it is absent.
  if (incident.notifications.length > 0) out.notifiedAt = { S: incident.updatedAt };
  for (const [name, value] of Object.entries(indexValues(incident)))
    out[name] = value === undefined ? undefined : { S: value };
  return out;
}

/** An UpdateItem that sets the incident's own attributes and leaves every other attribute of the item alone. */
export function incidentUpdate(
  incident: Incident,
  version: number,
): Pick<
  UpdateItemCommandInput,
  'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
> {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const set: string[] = [];
  const remove: string[] = [];
  for (const [i, [name, value]] of Object.entries(incidentAttributes(incident, version)).entries()) {
    names[`#a${i}`] = name;
    if (value === undefined) remove.push(`#a${i}`);
    else {
      values[`:a${i}`] = value;
      set.push(`#a${i} = :a${i}`);
    }
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export function fromItem(item: Item): Incident {
  const data = item.data?.S;
  if (!data) throw new DependencyError('store', 'corrupt_item', 'incident item has no data');
  return JSON.parse(data) as Incident;
}

export class DynamoIncidentStore implements IncidentStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly cursors: CursorCodec,
  ) {}

  private async read(id: string): Promise<{ incident: Incident; version: number } | undefined> {
    const answer = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }),
    );
    if (!answer.Item) return undefined;
    return { incident: fromItem(answer.Item), version: Number(answer.Item.version?.N ?? '0') };
  }

  async get(id: string): Promise<Incident | undefined> {
    try {
      return (await this.read(id))?.incident;
    } catch (error) {
      throw storeError(error, `get incident ${id}`);
    }
  }

  async create(incident: Incident): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(incident, 1),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw storeError(error, `create incident ${incident.id}`);
    }
  }

  /**
   * Read, change, write back if nobody wrote in between (optimistic locking on `version`). The write is a partial
   * update: attributes the incident does not own (a lease and its attempt count) survive it.
   */
  private async mutate(
    id: string,
    change: (incident: Incident) => Incident | undefined,
  ): Promise<Incident | undefined> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
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
      key: key(id),
      open: 'attribute_exists(pk) AND attribute_not_exists(notifiedAt)',
      attempts: 'notifyAttempts',
      what: `notification of ${id}`,
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
      key: key(id),
      open: 'attribute_exists(notifiedAt) AND attribute_not_exists(resolveNoticedAt)',
      attempts: 'resolveAttempts',
      holder: { claimant: 'resolveClaimant', expires: 'resolveClaimExpiresAt' },
      what: `resolve notice of ${id}`,
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

  async recordNotification(id: string, notification: Notification, now: string): Promise<void> {
    try {
      await this.mutate(id, (incident) => ({
        ...incident,
        notifications: [...incident.notifications, notification],
        timeline: [
          ...(incident.timeline ?? []),
          {
            at: now,
            event: 'notified',
            detail: notification.threadTs
              ? `in thread ${notification.threadTs} of ${notification.channel}`
              : `in ${notification.channel}`,
          },
        ],
        delivery: { status: 'delivered', attempts: (incident.delivery?.attempts ?? 0) + 1, at: now },
        updatedAt: now,
      }));
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

  async list(query: IncidentQuery): Promise<IncidentPage> {
    try {
      return await listIncidents(this.client, this.tableName, this.cursors, query);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw error;
      throw storeError(error, 'list incidents');
    }
  }
}
