// The incident table's keys and indexes: one definition shared by the local table bootstrap and the CDK construct.

/**
 * Each history filter has its own index, so every list request is a Query (newest first by startsAt). `sharded`:
 * the filter has one value (all incidents) or two (status), which would put every write of the table on one index
 * partition; its key carries a shard suffix and a list reads every shard.
 */
export const INDEXES = [
  { name: 'gsi1', filter: 'all', sharded: true },
  { name: 'gsi2', filter: 'status', sharded: true },
  { name: 'gsi3', filter: 'namespace', sharded: false },
  { name: 'gsi4', filter: 'node', sharded: false },
  { name: 'gsi5', filter: 'alertname', sharded: false },
  { name: 'gsi6', filter: 'signature', sharded: false },
] as const;

/** Shards of a sharded index: spreads its writes over this many partitions; a list reads them all. */
export const INDEX_SHARDS = 8;

export type IndexFilter = (typeof INDEXES)[number]['filter'];

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' } as const;

export function indexKeys(name: string): { pk: string; sk: string } {
  return { pk: `${name}pk`, sk: `${name}sk` };
}

/**
 * What an index carries besides the keys: the other filters' partition keys, so that a list can narrow by them
 * without the incident itself. Lists read the full incidents by key afterwards: an index item stays under 1 KB
 * however large the incident, where projecting ALL would copy every write of up to 350 KB to each index.
 */
export const INDEX_PROJECTION: readonly string[] = [
  ...INDEXES.map((i) => indexKeys(i.name).pk),
  // The history API's `acknowledged` filter reads it on the index.
  'acknowledgedAt',
];

/** Where recurrence reads: the signature index also carries each incident's workload (`subject`, see incident-item.ts). */
export const RECURRENCE_INDEX = 'gsi6';

/** The status index: its key changes when an incident resolves. */
const STATUS_INDEX = 'gsi2';

/**
 * The non-key attributes an index carries: the filter keys, except the status on indexes other than the status
 * index (a resolve would rewrite every index item that carried it: lists check the status on the incidents when
 * another filter's index is read), plus the workload on the recurrence index.
 */
export function indexProjection(name: string): string[] {
  const common = INDEX_PROJECTION.filter((a) => name === STATUS_INDEX || a !== indexKeys(STATUS_INDEX).pk);
  return name === RECURRENCE_INDEX ? [...common, 'subject'] : common;
}
