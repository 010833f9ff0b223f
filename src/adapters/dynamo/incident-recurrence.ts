// Recurrence from the signature index alone: each index item carries the incident's workload (`subject`), so counting
// earlier incidents of a signature on a workload reads a few small index items instead of whole incidents.
import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { subjectKey } from '../../domain/recurrence-subject.js';
import type { Recurrence, RecurrenceQuery } from '../../ports.js';
import { fetchIncidents } from './incident-fetch.js';
import { INDEXES, indexKeys, RECURRENCE_INDEX } from './table-schema.js';

type Item = Record<string, AttributeValue>;

/**
 * Index items per page, and pages read at most: a signature that fired thousands of times in the window costs at
 * most 500 index items (about 20 read units) per diagnosis, however many it holds.
 */
const PAGE = 100;
const MAX_PAGES = 5;

interface Hit {
  readonly startsAt: string;
  readonly subject: string | undefined;
  readonly key: Item;
}

export async function findRecurrence(
  client: DynamoDBClient,
  tableName: string,
  q: RecurrenceQuery,
): Promise<Recurrence | undefined> {
  const keys = indexKeys(RECURRENCE_INDEX);
  const namespaceIndex = INDEXES.find((i) => i.filter === 'namespace')?.name ?? 'gsi3';
  const hits: Hit[] = [];
  let start: Item | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: RECURRENCE_INDEX,
        // The sort key is `${startsAt}#${id}`: `before` itself sorts below every incident that started then.
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        // Items stored before `subject` existed lack it: they are read in full below. (No projection expression:
        // DynamoDB charges the whole index item anyway, and the bench estimates a Query's units from what it returns.)
        FilterExpression: '#ns = :ns AND (#subject = :subject OR attribute_not_exists(#subject))',
        ExpressionAttributeNames: {
          '#pk': keys.pk,
          '#sk': keys.sk,
          '#ns': indexKeys(namespaceIndex).pk,
          '#subject': 'subject',
        },
        ExpressionAttributeValues: {
          ':pk': { S: `SIG#${q.signature}` },
          ':from': { S: q.since },
          ':to': { S: q.before },
          ':ns': { S: `NS#${q.namespace}` },
          ':subject': { S: q.subject },
        },
        ScanIndexForward: false,
        Limit: PAGE,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of answer.Items ?? []) {
      const sort = item[keys.sk]?.S;
      if (!sort || !item.pk || !item.sk) continue;
      hits.push({
        startsAt: sort.split('#')[0] ?? sort,
        subject: item.subject?.S,
        key: { pk: item.pk, sk: item.sk },
      });
    }
    start = answer.LastEvaluatedKey;
    if (!start || hits.filter((h) => h.subject !== undefined).length >= q.limit) break;
  }
  const legacy = hits.filter((h) => h.subject === undefined);
  const legacySubjects = new Map<string, string | undefined>();
  if (legacy.length > 0)
    for (const incident of await fetchIncidents(
      client,
      tableName,
      legacy.map((h) => h.key),
    ))
      legacySubjects.set(`INC#${incident.id}`, subjectKey(incident.target));
  const earlier = hits
    .filter((h) => (h.subject ?? legacySubjects.get(h.key.pk?.S ?? '')) === q.subject)
    .slice(0, q.limit);
  const last = earlier[0];
  return last ? { count: earlier.length, lastAt: last.startsAt } : undefined;
}
