// The incident table's keys and indexes: one definition shared by the local table bootstrap and the CDK construct.

/** Each history filter has its own index, so every list request is a Query (newest first by startsAt). */
export const INDEXES = [
  { name: 'gsi1', filter: 'all' },
  { name: 'gsi2', filter: 'status' },
  { name: 'gsi3', filter: 'namespace' },
  { name: 'gsi4', filter: 'node' },
  { name: 'gsi5', filter: 'alertname' },
  { name: 'gsi6', filter: 'signature' },
] as const;

export type IndexFilter = (typeof INDEXES)[number]['filter'];

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttlAttribute: 'expiresAt' } as const;

export function indexKeys(name: string): { pk: string; sk: string } {
  return { pk: `${name}pk`, sk: `${name}sk` };
}
