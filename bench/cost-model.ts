// Cost per million alerts from measured counts (alert-cost.ts, worker-time.ts) at list prices, with every figure
// that is assumed rather than measured named as such.
import type { AlertCost } from './alert-cost.js';
import type { WorkerTime } from './worker-time.js';

/** us-east-1 list prices as known on PRICES_AS_OF (not re-checked online: the bench machine has no network). */
export const PRICES_AS_OF = '2026-12-03';
const PRICE = {
  writeUnit: 0.625e-6, // DynamoDB on-demand, per write request unit (after the 2024-11 reduction)
  readUnit: 0.125e-6, // per read request unit
  lambdaGbSecond: 0.0000133334, // arm64
  lambdaRequest: 0.2e-6,
  sqsRequest: 0.4e-6, // standard queue, per request (each 64 KB chunk)
  apiRequest: 1.0e-6, // API Gateway HTTP API, first 300 million a month
  logGb: 0.5, // CloudWatch Logs ingestion, standard class
};

/** Assumptions, each stated in BENCHMARKS.md next to the table. */
export const ASSUMED = {
  workerMemoryMb: 512,
  apiMemoryMb: 256,
  /** Lambda gives one vCPU at 1,769 MB and a proportional share below: CPU time stretches by 1769/memory. */
  fullVcpuMb: 1769,
  /** Two rounds of cluster reads per fired alert at about 20 ms each in a real cluster (the stand-in answers at once). */
  clusterWaitMsPerFiredAlert: 40,
  /** The api function's time per webhook: validation, bounds, one SQS send (about 10–20 ms in-region). */
  apiMsPerWebhook: 25,
  /** Lambda's START/END/REPORT lines and an API Gateway access-log line, per invocation or request. */
  platformLogBytes: 300,
  /** The api's own log lines per webhook. */
  apiLogBytesPerWebhook: 300,
};

export interface CostLine {
  readonly item: string;
  readonly perAlert: string;
  readonly perMillion: number;
}

/**
 * `perInvocation`: alerts one worker invocation handles (1 for single alerts; the group for grouped deliveries,
 * which the api sends as one SQS batch and the poller hands over together).
 */
export function costPerMillion(c: AlertCost, w: WorkerTime, perInvocation: number): CostLine[] {
  const m = 1e6;
  const stretch = ASSUMED.fullVcpuMb / ASSUMED.workerMemoryMb;
  // Alerts fire and resolve: half the queue messages are fired alerts.
  const workerMs =
    w.msPerAlert - w.cpuMsPerAlert + w.cpuMsPerAlert * stretch + ASSUMED.clusterWaitMsPerFiredAlert;
  const workerGbS = (workerMs / 1000) * (ASSUMED.workerMemoryMb / 1024);
  const workerInvocations = c.queueMessages / perInvocation;
  const apiGbS = c.webhooks * (ASSUMED.apiMsPerWebhook / 1000) * (ASSUMED.apiMemoryMb / 1024);
  // SQS: a send per delivery (SendMessageBatch), a receive and a delete per worker batch.
  const sqsRequests = c.webhooks + 2 * workerInvocations;
  const logBytes =
    w.logBytesPerAlert +
    c.webhooks * ASSUMED.apiLogBytesPerWebhook +
    (c.webhooks * 2 + workerInvocations) * ASSUMED.platformLogBytes;
  return [
    {
      item: 'DynamoDB table writes (measured)',
      perAlert: `${c.writeUnits.toFixed(1)} WCU`,
      perMillion: c.writeUnits * PRICE.writeUnit * m,
    },
    {
      item: 'DynamoDB index writes (counted from the writes)',
      perAlert: `${c.indexWrites.toFixed(1)} WCU`,
      perMillion: c.indexWrites * PRICE.writeUnit * m,
    },
    {
      item: 'DynamoDB reads (measured; Query estimated from bytes)',
      perAlert: `${c.readUnits.toFixed(1)} RCU`,
      perMillion: c.readUnits * PRICE.readUnit * m,
    },
    {
      item: 'API Gateway (webhook deliveries, fired + resolved)',
      perAlert: `${c.webhooks.toFixed(2)} requests`,
      perMillion: c.webhooks * PRICE.apiRequest * m,
    },
    {
      item: 'SQS (send per delivery; receive and delete per worker batch)',
      perAlert: `${sqsRequests.toFixed(2)} requests`,
      perMillion: sqsRequests * PRICE.sqsRequest * m,
    },
    {
      item: 'Lambda requests (api per delivery, worker per batch)',
      perAlert: `${(c.webhooks + workerInvocations).toFixed(2)}`,
      perMillion: (c.webhooks + workerInvocations) * PRICE.lambdaRequest * m,
    },
    {
      item: `Lambda duration, worker (${ASSUMED.workerMemoryMb} MB; measured ${w.msPerAlert.toFixed(0)} ms of which ${w.cpuMsPerAlert.toFixed(0)} ms CPU, CPU ×${stretch.toFixed(2)}, + ${ASSUMED.clusterWaitMsPerFiredAlert} ms cluster)`,
      perAlert: `${workerMs.toFixed(0)} ms, ${workerGbS.toFixed(3)} GB-s`,
      perMillion: workerGbS * PRICE.lambdaGbSecond * m,
    },
    {
      item: `Lambda duration, api (${ASSUMED.apiMemoryMb} MB, ${ASSUMED.apiMsPerWebhook} ms per delivery, assumed)`,
      perAlert: `${apiGbS.toFixed(4)} GB-s`,
      perMillion: apiGbS * PRICE.lambdaGbSecond * m,
    },
    {
      item: 'CloudWatch Logs (worker measured; api and platform lines assumed)',
      perAlert: `${(logBytes / 1024).toFixed(1)} KB`,
      perMillion: (logBytes * m * PRICE.logGb) / 2 ** 30,
    },
  ];
}

export function costTable(label: string, lines: CostLine[]): string[] {
  const total = lines.reduce((n, l) => n + l.perMillion, 0);
  return [
    '',
    `#### ${label}`,
    '',
    '| item | per alert | per million alerts |',
    '|---|---|---|',
    ...lines.map((l) => `| ${l.item} | ${l.perAlert} | $${l.perMillion.toFixed(2)} |`),
    `| **total** | | **$${total.toFixed(2)}** |`,
  ];
}
