// DynamoDB's size limits, applied to what we write (400 KB per item, 2048 bytes per index partition key), and an
// item's size as DynamoDB counts it.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { boundText } from '../../domain/bounds.js';
import type { Incident } from '../../domain/incident.js';

/** Room for the incident JSON in a 400 KB item, leaving space for the keys, six index pairs and bookkeeping. */
export const MAX_DATA_BYTES = 350 * 1024;
/** An index key value longer than this is not indexed (DynamoDB refuses partition keys over 2048 bytes). */
export const MAX_INDEX_KEY_BYTES = 1024;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function indexable(value: string | undefined): string | undefined {
  return value !== undefined && bytes(value) <= MAX_INDEX_KEY_BYTES ? value : undefined;
}

const clipSet = (set: Readonly<Record<string, string>>, max: number) =>
  Object.fromEntries(Object.entries(set).map(([k, v]) => [k, boundText(v, max)]));

/**
 * The incident's JSON, shortened step by step until it fits an item. Alerts are bounded at ingest, so this only
 * acts on records that were not (messages queued before the bounds existed) or on an unusually long history.
 */
export function fittedData(incident: Incident): string {
  let data = JSON.stringify(incident);
  if (bytes(data) <= MAX_DATA_BYTES) return data;
  const steps: ((i: Incident) => Incident)[] = [
    (i) => ({ ...i, annotations: clipSet(i.annotations, 1024) }),
    (i) => ({
      ...i,
      findings: i.findings.map((f) => ({
        ...f,
        evidence: f.evidence.map((e) => ({ ...e, detail: boundText(e.detail, 512) })),
      })),
    }),
    (i) => ({ ...i, labels: clipSet(i.labels, 512), generatorURL: boundText(i.generatorURL, 512) }),
    (i) => {
      const timeline = i.timeline ?? [];
      return timeline.length > 22 ? { ...i, timeline: [...timeline.slice(0, 2), ...timeline.slice(-20)] } : i;
    },
    (i) => ({
      ...i,
      annotations: {},
      findings: i.findings.slice(0, 1),
      labels: Object.fromEntries(Object.entries(i.labels).slice(0, 64)),
    }),
  ];
  let current = incident;
  for (const step of steps) {
    current = step(current);
    data = JSON.stringify(current);
    if (bytes(data) <= MAX_DATA_BYTES) return data;
  }
  return data;
}

/** An item's size as DynamoDB counts it: attribute names plus values (numbers approximated by their digits). */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (n, [name, value]) => n + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L) return 3 + value.L.reduce((n, v) => n + 1 + valueBytes(v), 0);
  if (value.M) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}
