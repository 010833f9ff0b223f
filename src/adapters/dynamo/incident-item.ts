// The incident's DynamoDB item: its key, the attributes it owns (compressed data, version, status, TTL, index keys,
// the workload for recurrence) and the partial update that writes them without touching anything else on the item.
import { createHash } from 'node:crypto';
import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { Incident } from '../../domain/incident.js';
import { subjectKey } from '../../domain/recurrence-subject.js';
import { encodeData } from './incident-data.js';
import { indexable } from './item-size.js';
import { INDEX_SHARDS, INDEXES, indexKeys } from './table-schema.js';

type Item = Record<string, AttributeValue>;

/** Incidents are kept this long after their last update (DynamoDB TTL on `expiresAt`). */
const RETENTION_SECONDS = 180 * 24 * 3600;

export const expiresAt = (incident: Incident): AttributeValue => ({
  N: String(Math.floor(Date.parse(incident.updatedAt) / 1000) + RETENTION_SECONDS),
});

/**
 * The workload recurrence matches on, projected into the signature index; `-` when the incident names none, so
 * that only items stored before the attribute existed lack it (recurrence reads those in full).
 */
export const subjectValue = (incident: Incident): string => indexable(subjectKey(incident.target)) ?? '-';

export const key = (id: string): Item => ({ pk: { S: `INC#${id}` }, sk: { S: 'INC' } });

/** The shard of a sharded index an incident is written to: stable for its id, spread evenly. */
export function shardOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt8(0) % INDEX_SHARDS;
}

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
    const value = indexable(dims[index.filter]);
    const pk = value !== undefined && index.sharded ? `${value}#${shardOf(incident.id)}` : value;
    out[keys.pk] = pk;
    out[keys.sk] = pk === undefined ? undefined : sort;
  }
  return out;
}

export function toItem(incident: Incident, version: number, extra: Item = {}): Item {
  const item: Item = { ...key(incident.id), ...extra };
  for (const [name, value] of Object.entries(incidentAttributes(incident, version)))
    if (value) item[name] = value;
  return item;
}

/**
 * What the incident owns on its item: its data, version, status, TTL and index keys (undefined: to be removed).
 * Leases live on an item of their own (incident-lease.ts); items of the first shape still carry lease attributes
 * here, and these partial writes leave them alone.
 */
function incidentAttributes(incident: Incident, version: number): Record<string, AttributeValue | undefined> {
  const out: Record<string, AttributeValue | undefined> = {
    data: encodeData(incident),
    version: { N: String(version) },
    status: { S: incident.status },
    expiresAt: expiresAt(incident),
    subject: { S: subjectValue(incident) },
  };
  // Top-level (and projected into the indexes) so the history API can filter on it (acknowledged=true|false).
  out.acknowledgedAt = incident.acknowledged ? { S: incident.acknowledged.at } : undefined;
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
