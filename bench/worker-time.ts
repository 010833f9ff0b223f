// The worker's own time per alert, as Lambda bills it: the bundled worker (built as infra builds it) runs in one
// fresh Node process, like a warm Lambda environment, and handles SQS events for fired and resolved alerts against
// loopback stand-ins; Slack answers each call after a realistic delay. Also its memory high-water mark.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleLambda } from '../infra/lambda-bundle.js';
import { ensureTable } from '../src/adapters/dynamo/ensure-table.js';
import { encodeMessage } from '../src/adapters/queue/queue-message.js';
import { envelopes, type Webhook } from '../src/domain/alert.js';
import { startKubernetesStandIn } from '../src/local/cluster/kubernetes-api.js';
import { loadScenarios } from '../src/local/cluster/scenarios.js';
import { startEmbeddedDynamo } from '../src/local/embedded-dynamo.js';
import { startSlackStandIn } from '../test/support/standins/slack-api.js';
import { groupedWebhooks } from './alert-cost.js';

const run = promisify(execFile);

/** Slack's answer time assumed for every Web API call (chat.postMessage is typically 100–300 ms). */
export const SLACK_LATENCY_MS = 150;
const WARM_UP = 5;

export interface WorkerTime {
  readonly alerts: number;
  readonly invocations: number;
  /** Handler time per alert, fired and resolved together, warm (ms). */
  readonly msPerAlert: number;
  /** CPU time of the worker process per alert (user + system, one core of this machine). */
  readonly cpuMsPerAlert: number;
  readonly p50InvocationMs: number;
  readonly initMs: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  readonly logBytesPerAlert: number;
}

function sqsEvent(webhook: Webhook, id: string) {
  return {
    Records: envelopes(webhook, '2026-11-23T10:00:00.000Z').map((envelope, i) => ({
      messageId: `${id}-${i}`,
      receiptHandle: `rh-${id}-${i}`,
      body: encodeMessage({ kind: 'alert', envelope }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1795422240000',
        SenderId: 'AIDABENCH',
        ApproximateFirstReceiveTimestamp: '1795422240001',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:alert-triage',
      awsRegion: 'eu-west-1',
    })),
  };
}

// Runs in the child: imports the bundle (timed: the init phase), then handles each event in turn (timed).
const DRIVER = `
import { readFileSync } from 'node:fs';
const [bundle, eventsFile] = process.argv.slice(2);
const t0 = performance.now();
const { handler } = await import(bundle);
const initMs = performance.now() - t0;
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const durations = [];
const cpu = [];
let rss = 0, heap = 0;
for (const event of events) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await handler(event, { getRemainingTimeInMillis: () => 60000 });
  durations.push(performance.now() - start);
  const used = process.cpuUsage(cpuStart);
  cpu.push((used.user + used.system) / 1000);
  if (result.batchItemFailures.length > 0) throw new Error('failures: ' + JSON.stringify(result));
  const m = process.memoryUsage();
  rss = Math.max(rss, m.rss); heap = Math.max(heap, m.heapUsed);
}
process.stdout.write('RESULT ' + JSON.stringify({ initMs, durations, cpu, rss, heap }) + '\\n');
`;

export async function measureWorkerTime(group: number, deliveries: number): Promise<WorkerTime> {
  const dir = mkdtempSync(join(tmpdir(), 'worker-time-'));
  const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
  const [k8s, slack, dynamo] = await Promise.all([
    startKubernetesStandIn({ cluster: oom.cluster }),
    startSlackStandIn({ token: 'xoxb-bench-0000000000-EXAMPLE', latencyMs: SLACK_LATENCY_MS }),
    startEmbeddedDynamo(),
    bundleLambda('worker', join(dir, 'worker.mjs')),
  ]);
  try {
    await ensureTable(dynamo.client, 'bench-incidents');
    const events = groupedWebhooks(group, deliveries + WARM_UP).flatMap(({ firing, resolved }, d) => [
      sqsEvent(firing, `f${d}`),
      sqsEvent(resolved, `r${d}`),
    ]);
    writeFileSync(join(dir, 'events.json'), JSON.stringify(events));
    writeFileSync(join(dir, 'driver.mjs'), DRIVER);
    const { stdout } = await run(
      process.execPath,
      [join(dir, 'driver.mjs'), join(dir, 'worker.mjs'), join(dir, 'events.json')],
      {
        maxBuffer: 256 * 1024 * 1024,
        timeout: 600_000,
        env: {
          PATH: process.env.PATH ?? '',
          CLUSTER_PROXY_URL: k8s.url,
          SLACK_BOT_TOKEN: 'xoxb-bench-0000000000-EXAMPLE',
          SLACK_CHANNEL: 'C0ALERTS01',
          SLACK_API_URL: slack.url,
          // Pacing on, as deployed, with a 1 ms slot: alerts arriving a second or more apart never wait for it.
          SLACK_POST_INTERVAL_MS: '1',
          // Likewise the cluster budget (20/s, burst 40 deployed): this bench sends alerts back to back, faster than
          // a worker sustains (about 8 cluster calls per alert), and would otherwise measure the budget's waits.
          CLUSTER_QPS: '1000',
          CLUSTER_BURST: '1000',
          DYNAMODB_ENDPOINT: dynamo.endpoint,
          TABLE_NAME: 'bench-incidents',
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDBENCH',
          AWS_SECRET_ACCESS_KEY: 'bench-secret',
        },
      },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error('the worker driver printed no result');
    const r = JSON.parse(line.slice('RESULT '.length)) as {
      initMs: number;
      durations: number[];
      cpu: number[];
      rss: number;
      heap: number;
    };
    const warm = r.durations.slice(WARM_UP * 2);
    const warmCpu = r.cpu.slice(WARM_UP * 2);
    const alerts = deliveries * group;
    const logBytes = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    const sorted = [...warm].sort((a, b) => a - b);
    return {
      alerts,
      invocations: warm.length,
      msPerAlert: warm.reduce((a, b) => a + b, 0) / alerts,
      cpuMsPerAlert: warmCpu.reduce((a, b) => a + b, 0) / alerts,
      p50InvocationMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
      initMs: r.initMs,
      peakRssMiB: r.rss / 2 ** 20,
      peakHeapMiB: r.heap / 2 ** 20,
      logBytesPerAlert: logBytes / ((deliveries + WARM_UP) * group),
    };
  } finally {
    await Promise.all([k8s.close(), slack.close(), dynamo.close()]);
  }
}

export function workerTimeRow(label: string, w: WorkerTime): string {
  return `| ${label}: worker handler time per alert, fired + resolved, warm (Slack answering in ${SLACK_LATENCY_MS} ms; ${w.alerts} alerts, ${w.invocations} invocations) / of it CPU / p50 invocation / init / peak RSS / peak heap / worker log bytes per alert | ${w.msPerAlert.toFixed(0)} ms / ${w.cpuMsPerAlert.toFixed(0)} ms / ${w.p50InvocationMs.toFixed(0)} ms / ${w.initMs.toFixed(0)} ms / ${w.peakRssMiB.toFixed(0)} MiB / ${w.peakHeapMiB.toFixed(0)} MiB / ${Math.round(w.logBytesPerAlert).toLocaleString('en-US')} | - |`;
}
