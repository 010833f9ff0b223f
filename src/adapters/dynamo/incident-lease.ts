// The incident's lease item (`sk = LEASE`, beside the incident item `sk = INC`): who holds the right to notify or to
// tell the resolve, the attempt counts, the done-markers and the notifications recorded. Small (well under 1 KB),
// so the writes that happen several times per alert cost one write unit instead of the incident's size.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Incident, Notification } from '../../domain/incident.js';
import { decodeData } from './incident-data.js';
import { key } from './incident-item.js';

type Item = Record<string, AttributeValue>;

export const leaseKey = (id: string): Item => ({ pk: { S: `INC#${id}` }, sk: { S: 'LEASE' } });

/**
 * The lease attributes the first item shape kept on the incident item itself. A table deployed before the split
 * holds incidents with these and no lease item: the first lease operation on such an incident seeds its lease
 * item from them (seedLease), so a notification or resolve begun before an upgrade is neither repeated nor lost.
 */
const LEGACY_ATTRIBUTES = [
  'claimant',
  'claimExpiresAt',
  'notifyAttempts',
  'notifiedAt',
  'resolveClaimant',
  'resolveClaimExpiresAt',
  'resolveAttempts',
  'resolveNoticedAt',
] as const;

/** The notifications recorded on the lease item, each with when: `recorded` is a list of these as JSON strings. */
export const RECORDED = 'recorded';

export interface Recorded {
  readonly notification: Notification;
  readonly at: string;
}

export const recordedEntry = (entry: Recorded): AttributeValue => ({ S: JSON.stringify(entry) });

export function newLeaseItem(id: string, expiresAt: AttributeValue | undefined, extra: Item = {}): Item {
  return { ...leaseKey(id), ...(expiresAt ? { expiresAt } : {}), ...extra };
}

/**
 * Creates the lease item of an incident that has none (stored by the first item shape, or its creation was cut
 * off between the two writes), from what the incident item says. false when the incident does not exist.
 */
export async function seedLease(client: DynamoDBClient, tableName: string, id: string): Promise<boolean> {
  const answer = await client.send(
    new GetItemCommand({ TableName: tableName, Key: key(id), ConsistentRead: true }),
  );
  const item = answer.Item;
  if (!item) return false;
  const carried: Item = {};
  for (const name of LEGACY_ATTRIBUTES) {
    const value = item[name];
    if (value) carried[name] = value;
  }
  // An incident notified under this shape whose lease item expired first (its TTL is not refreshed by updates)
  // is still notified: the marker follows from the notifications the incident holds.
  const incident = decodeData(item.data);
  if (!carried.notifiedAt && incident && incident.notifications.length > 0)
    carried.notifiedAt = { S: incident.updatedAt };
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: newLeaseItem(id, item.expiresAt, carried),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    // Seeded by a concurrent caller: the same state, or newer.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return true;
}

/** The incident once a notification is recorded: what recordNotification has always written. */
export function withNotification(incident: Incident, notification: Notification, at: string): Incident {
  return {
    ...incident,
    notifications: [...incident.notifications, notification],
    timeline: [
      ...(incident.timeline ?? []),
      {
        at,
        event: 'notified',
        detail: notification.threadTs
          ? `in thread ${notification.threadTs} of ${notification.channel}`
          : `in ${notification.channel}`,
      },
    ],
    delivery: { status: 'delivered', attempts: (incident.delivery?.attempts ?? 0) + 1, at },
    updatedAt: at,
  };
}

const same = (a: Notification, b: Notification) =>
  a.channel === b.channel && a.ts === b.ts && a.threadTs === b.threadTs && a.stormId === b.stormId;

/**
 * The incident as readers see it: the incident item plus the notifications recorded on its lease item that the
 * incident item does not hold yet. The next write of the incident stores them in its data; recorded twice (a
 * retried storm report) still counts once.
 */
export function withRecorded(incident: Incident, lease: Item | undefined): Incident {
  let current = incident;
  for (const value of lease?.[RECORDED]?.L ?? []) {
    if (!value.S) continue;
    const entry = JSON.parse(value.S) as Recorded;
    if (!current.notifications.some((n) => same(n, entry.notification)))
      current = withNotification(current, entry.notification, entry.at);
  }
  return current;
}
