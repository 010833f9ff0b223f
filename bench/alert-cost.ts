// Billed work per alert, counted through the whole local path (webhook, queue, worker, embedded DynamoDB, Slack
// stand-in): DynamoDB calls and capacity, Slack calls, queue messages, webhook requests and log bytes, for single
// alerts and for grouped deliveries.
import { envelopes, type Webhook } from '../src/domain/alert.js';
import { loadScenarios } from '../src/local/cluster/scenarios.js';
import { postWebhook, startHarness } from '../test/support/harness.js';
import { resetTally, tallyDynamo } from './dynamo-cost.js';

type Alert = Webhook['alerts'][number];

export interface AlertCost {
  readonly alerts: number;
  readonly webhooks: number;
  /** Per alert. */
  readonly dynamoCalls: Map<string, number>;
  readonly dynamoUnits: Map<string, number>;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Index item writes (one unit each). */
  readonly indexWrites: number;
  /** Conditional writes refused (already in writeUnits). */
  readonly refused: number;
  readonly slackCalls: Map<string, number>;
  readonly queueMessages: number;
  readonly logBytes: number;
}

const oom = () => loadScenarios().find((s) => s.id === 'oom-checkout-api')!;

/**
 * `count` deliveries of `group` alerts each (one Alertmanager group per delivery), distinct alerts of the OOM
 * scenario: the firing delivery, then its resolve. From five alerts a delivery is a storm (one summary message).
 */
export function groupedWebhooks(group: number, count: number): { firing: Webhook; resolved: Webhook }[] {
  const base = oom().webhook as Webhook;
  return Array.from({ length: count }, (_, d) => {
    const alerts: Alert[] = Array.from({ length: group }, (_, k) => {
      const n = d * group + k;
      return {
        ...structuredClone(base.alerts[0]!),
        startsAt: new Date(Date.UTC(2026, 10, 23, 10, 0, 0, n)).toISOString(),
        fingerprint: `b${String(n).padStart(15, '0')}`,
      };
    });
    const firing = {
      ...structuredClone(base),
      groupKey: `{}:{delivery="${d}"}`,
      status: 'firing' as const,
      alerts,
    };
    const resolved = {
      ...firing,
      status: 'resolved' as const,
      alerts: alerts.map((a, k) => ({
        ...a,
        status: 'resolved' as const,
        endsAt: new Date(Date.UTC(2026, 10, 23, 11, 0, 0, d * group + k)).toISOString(),
      })),
    };
    return { firing, resolved };
  });
}

/** Every alert's queue message: what the api puts on SQS for these deliveries (one message per alert). */
export const queueMessages = (webhook: Webhook) => envelopes(webhook, '2026-11-23T10:00:00.000Z').length;

export async function measureAlertCost(group: number, count: number): Promise<AlertCost> {
  // Slack pacing on (as deployed) with a 1 ms interval, so the bench does not wait: each post takes its slot in
  // one write, as it does when posts are at least a second apart.
  const h = await startHarness({ cluster: oom().cluster, env: { SLACK_POST_INTERVAL_MS: '1' } });
  const tally = tallyDynamo(h.dynamo.client);
  const webhooks = groupedWebhooks(group, count);
  let messages = 0;
  try {
    resetTally(tally);
    for (const { firing, resolved } of webhooks) {
      for (const webhook of [firing, resolved]) {
        await postWebhook(h, webhook);
        await h.queue.idle();
        messages += queueMessages(webhook);
      }
    }
  } finally {
    await h.close();
  }
  const alerts = group * count;
  const per = (m: Map<string, number>) => new Map([...m].map(([k, v]) => [k, v / alerts]));
  const slack = new Map<string, number>();
  for (const call of h.slack.calls) slack.set(call.method, (slack.get(call.method) ?? 0) + 1 / alerts);
  return {
    alerts,
    webhooks: (webhooks.length * 2) / alerts,
    dynamoCalls: per(tally.calls),
    dynamoUnits: per(tally.units),
    writeUnits: tally.writes / alerts,
    readUnits: tally.reads / alerts,
    indexWrites: tally.indexWrites / alerts,
    refused: tally.refused / alerts,
    slackCalls: slack,
    queueMessages: messages / alerts,
    logBytes: h.logs.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0) / alerts,
  };
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const list = (m: Map<string, number>, units?: Map<string, number>) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(
      ([op, n]) =>
        `${op.replace(/Command$/, '')} ${n.toFixed(1)}${units ? ` (${(units.get(op) ?? 0).toFixed(1)} u)` : ''}`,
    )
    .join(' · ');

/** The bench rows for one shape of delivery. */
export function costRows(label: string, c: AlertCost): string[] {
  return [
    `| ${label}: DynamoDB calls per alert, fired + notified + resolved (${c.alerts} alerts) | ${sum(c.dynamoCalls).toFixed(1)} (${list(c.dynamoCalls, c.dynamoUnits)}) | - |`,
    `| ${label}: DynamoDB capacity per alert: table write units (of them refused conditional writes) / index write units / read units | ${c.writeUnits.toFixed(1)} (${c.refused.toFixed(1)}) / ${c.indexWrites.toFixed(1)} / ${c.readUnits.toFixed(1)} | - |`,
    `| ${label}: Slack calls / queue messages / webhook requests per alert | ${sum(c.slackCalls).toFixed(2)} (${list(c.slackCalls)}) / ${c.queueMessages.toFixed(1)} / ${c.webhooks.toFixed(2)} | - |`,
    `| ${label}: log bytes per alert (api and worker lines, fired + resolved) | ${Math.round(c.logBytes).toLocaleString('en-US')} | - |`,
  ];
}
