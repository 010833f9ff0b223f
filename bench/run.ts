// `npm run bench`: diagnosis throughput, cluster calls per alert, webhook ingest latency, alert-to-Slack latency,
// Lambda bundle size and cold-start initialisation. Loopback only, every loop bounded. Prints Markdown.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { BUNDLE_TARGET, bundleLambda } from '../infra/lambda-bundle.js';
import { loadConfig } from '../src/config.js';
import { type Alert, resolveTarget, WebhookSchema } from '../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../src/domain/catalog/index.js';
import type { TriageContext } from '../src/domain/context.js';
import { diagnose } from '../src/domain/engine.js';
import { redact } from '../src/domain/redact.js';
import { createApp } from '../src/http/app.js';
import { startKubernetesStandIn } from '../src/local/cluster/kubernetes-api.js';
import { loadScenarios, mergeClusters } from '../src/local/cluster/scenarios.js';
import { gatherContext } from '../src/triage/gather.js';
import { buildInspector } from '../src/wiring.js';
import { postWebhook, startHarness } from '../test/support/harness.js';
import { memoryLogger } from '../test/support/memory-logger.js';
import { runAccuracy } from './accuracy-lib.js';
import { costRows, measureAlertCost } from './alert-cost.js';
import { costPerMillion, costTable, PRICES_AS_OF } from './cost-model.js';
import { interactionAck } from './interaction-ack.js';
import { PATHOLOGICAL_TEXTS } from './pathological-inputs.js';
import { measureWorkerTime, workerTimeRow } from './worker-time.js';

const out: string[] = [];
/** Tables printed after the measures' table (the cost per million alerts). */
const after: string[] = [];
const say = (line = '') => {
  out.push(line);
  process.stdout.write(`${line}\n`);
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function diagnosisThroughput(): Promise<void> {
  const scenarios = loadScenarios();
  const k8s = await startKubernetesStandIn({ cluster: mergeClusters(scenarios.map((s) => s.cluster)) });
  const inspector = buildInspector(loadConfig({ CLUSTER_PROXY_URL: k8s.url }, 'local'));
  const recorded: { alert: Alert; context: TriageContext }[] = [];
  for (const s of scenarios) {
    const alert = WebhookSchema.parse(s.webhook).alerts[0]!;
    recorded.push({ alert, context: await gatherContext(resolveTarget(alert.labels), inspector) });
  }
  await k8s.close();
  // Measured on the engine as Lambda runs it (bundled and minified by esbuild), and as `npm start` runs it (tsx,
  // which wraps every function for readable stack traces and costs a third more).
  const dir = mkdtempSync(join(tmpdir(), 'triage-engine-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `export { diagnose } from ${JSON.stringify(resolve('src/domain/engine.ts'))};\n` +
      `export { BUILT_IN_SIGNATURES } from ${JSON.stringify(resolve('src/domain/catalog/index.ts'))};\n`,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    outfile: join(dir, 'engine.mjs'),
    logLevel: 'silent',
  });
  const bundled = (await import(join(dir, 'engine.mjs'))) as {
    diagnose: typeof diagnose;
    BUILT_IN_SIGNATURES: typeof BUILT_IN_SIGNATURES;
  };
  const measure = (run: typeof diagnose, signatures: typeof BUILT_IN_SIGNATURES) => {
    for (let i = 0; i < 100; i += 1) for (const r of recorded) run(r.alert, r.context, signatures);
    const budgetMs = 3000;
    let runs = 0;
    const start = performance.now();
    while (performance.now() - start < budgetMs) {
      for (const r of recorded) run(r.alert, r.context, signatures);
      runs += recorded.length;
    }
    return Math.round(runs / ((performance.now() - start) / 1000)).toLocaleString('en-US');
  };
  const what = `${recorded.length} recorded contexts, ${BUILT_IN_SIGNATURES.length} signatures`;
  say(
    `| diagnoses per second, one core, engine as bundled for Lambda (${what}) | ${measure(bundled.diagnose, bundled.BUILT_IN_SIGNATURES)} | >= 20,000 |`,
  );
  say(
    `| diagnoses per second, one core, under tsx (npm start) | ${measure(diagnose, BUILT_IN_SIGNATURES)} | - |`,
  );
}

async function clusterCalls(): Promise<void> {
  const report = await runAccuracy();
  const max = Math.max(...report.results.map((r) => r.clusterCalls));
  say(
    `| cluster calls per alert (mean / max over ${report.results.length} scenarios, Prometheus included) | ${report.meanClusterCalls.toFixed(1)} / ${max} | small, parallel |`,
  );
  // Workload alerts read the object, its revisions and pods, then diagnose up to three pods: bounded, not per replica.
  const kinds = new Map(
    loadScenarios().map((sc) => [
      sc.id,
      resolveTarget(WebhookSchema.parse(sc.webhook).alerts[0]?.labels ?? {}).kind,
    ]),
  );
  const workload = report.results.filter((r) => kinds.get(r.id) === 'workload').map((r) => r.clusterCalls);
  if (workload.length > 0)
    say(
      `| cluster calls per workload alert (mean / max over ${workload.length} scenarios) | ${(workload.reduce((a, b) => a + b, 0) / workload.length).toFixed(1)} / ${Math.max(...workload)} | fixed, whatever the replicas |`,
    );
  say(
    `| top-1 accuracy / confident-wrong | ${(report.top1 * 100).toFixed(1)}% / ${report.confidentWrong} | >= 95% / 0 |`,
  );
}

async function ingest(): Promise<void> {
  const { log } = memoryLogger();
  let queued = 0;
  const app = createApp({
    webhookToken: 'bench-token',
    apiToken: 'bench-token',
    queue: {
      enqueue: async (e) => {
        queued += e.length;
      },
    },
    store: { list: async () => ({ items: [], nextCursor: null }) } as never,
    playbooks: { entries: async () => [], put: async () => {}, remove: async () => false },
    builtIns: BUILT_IN_SIGNATURES,
    log,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const body = JSON.stringify(loadScenarios().find((s) => s.id === 'oom-checkout-api')!.webhook);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/alertmanager`,
    method: 'POST',
    headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' },
    body,
    connections: 10,
    duration: 5,
  });
  server.close();
  say(
    `| webhook ingest, 10 connections for 5 s (queue stubbed): requests/s | ${Math.round(result.requests.average).toLocaleString('en-US')} | - |`,
  );
  say(
    `| webhook ingest latency p50 / p99 | ${result.latency.p50} ms / ${result.latency.p99} ms | p99 < 20 ms |`,
  );
  say(
    `| webhook ingest errors / non-2xx | ${result.errors} / ${result.non2xx} (${queued.toLocaleString('en-US')} alerts queued) | 0 |`,
  );
}

async function alertToSlack(): Promise<void> {
  const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
  const h = await startHarness({ cluster: oom.cluster });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < 40; i += 1) {
      const webhook = structuredClone(oom.webhook) as { alerts: { startsAt: string; fingerprint: string }[] };
      webhook.alerts[0]!.startsAt = new Date(Date.UTC(2026, 10, 23, 10, 0, i)).toISOString();
      const start = performance.now();
      await postWebhook(h, webhook);
      await h.slack.waitForCalls(i + 1, 10_000);
      latencies.push(performance.now() - start);
      await h.queue.idle();
    }
  } finally {
    await h.close();
  }
  latencies.sort((a, b) => a - b);
  say(
    `| alert-to-Slack latency with local stand-ins, p50 / p99 (40 alerts, embedded DynamoDB) | ${percentile(latencies, 50).toFixed(0)} ms / ${percentile(latencies, 99).toFixed(0)} ms | p50 < 1 s |`,
  );
  // Where the time goes: the worker logs each phase of a triage ('triage timings').
  const timings = h.logs
    .filter((line) => line.includes('"triage timings"'))
    .map((line) => JSON.parse(line) as Record<string, number>);
  const phases = ['lookup', 'gather', 'playbook', 'diagnose', 'store', 'notify'];
  const medians = phases.map((phase) => {
    const values = timings.map((t) => t[phase] ?? 0).sort((a, b) => a - b);
    return `${phase} ${percentile(values, 50).toFixed(1)}`;
  });
  say(`| alert-to-Slack, median ms per phase (${timings.length} triages) | ${medians.join(' · ')} | - |`);
}

/** DynamoDB calls and capacity per alert: 100 single alerts fired, notified and resolved through the harness. */
async function dynamoCost(): Promise<void> {
  // One alert per delivery (the worst case), and Alertmanager groups of five (a storm: one summary message).
  const single = await measureAlertCost(1, 100);
  const grouped = await measureAlertCost(5, 20);
  for (const row of costRows('single alerts', single)) say(row);
  for (const row of costRows('groups of 5', grouped)) say(row);
  const singleTime = await measureWorkerTime(1, 40);
  const groupedTime = await measureWorkerTime(5, 8);
  say(workerTimeRow('single alerts', singleTime));
  say(workerTimeRow('groups of 5', groupedTime));
  const tables = [
    ...costTable('One alert per delivery (worst case)', costPerMillion(single, singleTime, 1)),
    ...costTable('Groups of five alerts per delivery', costPerMillion(grouped, groupedTime, 5)),
  ];
  after.push(...tables);
}

async function storm(): Promise<void> {
  const scenarios = loadScenarios();
  const real = scenarios
    .map(
      (s) =>
        (s.webhook as { alerts: { labels: Record<string, string>; startsAt: string; fingerprint: string }[] })
          .alerts[0]!,
    )
    .filter((a) => a.labels.pod && a.labels.job === 'kube-state-metrics');
  const alerts = Array.from({ length: 1000 }, (_, i) => {
    const base = real[i % real.length]!;
    return {
      status: 'firing',
      labels: i < real.length ? base.labels : { ...base.labels, pod: `${base.labels.pod}-${i}` },
      annotations: {},
      startsAt: base.startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: '',
      fingerprint: i < real.length ? base.fingerprint : `s${String(i).padStart(15, '0')}`,
    };
  });
  const webhook = {
    version: '4',
    groupKey: '{}:{cluster="bench"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'bench',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts,
  };
  // The default cluster budget (20/s, burst 40), as a deployed worker has it.
  const h = await startHarness({
    cluster: mergeClusters(scenarios.map((s) => s.cluster)),
    env: { CLUSTER_QPS: '20', CLUSTER_BURST: '40' },
  });
  let peakRss = 0;
  // Cluster requests seen at each 100 ms tick: the peak over any one-second window is the rate the API server saw.
  const seen: number[] = [];
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    seen.push(h.k8s.requests.length);
  }, 100);
  try {
    const start = performance.now();
    const response = await postWebhook(h, webhook);
    if (response.status !== 200) throw new Error(`storm webhook answered ${response.status}`);
    await h.queue.idle();
    const seconds = (performance.now() - start) / 1000;
    const clusterCalls = h.k8s.requests.length;
    say(
      `| 1,000-alert storm in one group: drain time / cluster calls / Slack calls / peak RSS (in-process queue, 4 workers) | ${seconds.toFixed(1)} s / ${clusterCalls.toLocaleString('en-US')} / ${h.slack.calls.length} / ${Math.round(peakRss / 2 ** 20)} MiB | Slack <= 10 |`,
    );
    let peak = 0;
    for (let i = 10; i < seen.length; i += 1) peak = Math.max(peak, (seen[i] ?? 0) - (seen[i - 10] ?? 0));
    say(`| 1,000-alert storm: peak cluster requests in any 1 s (budget 20/s, burst 40) | ${peak} | <= 60 |`);
  } finally {
    clearInterval(sampler);
    await h.close();
  }
}

async function bundles(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'triage-bundle-'));
  for (const name of ['api', 'worker'] as const) {
    const outfile = join(dir, `${name}.mjs`);
    await bundleLambda(name, outfile);
    const size = statSync(outfile).size;
    const env = {
      ...process.env,
      WEBHOOK_TOKEN: 'x'.repeat(16),
      API_TOKEN: 'y'.repeat(16),
      CLUSTER_PROXY_URL: 'https://cluster.invalid',
      QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/q',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    };
    const runs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const ms = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t=performance.now();await import(${JSON.stringify(outfile)});console.log(performance.now()-t)`,
        ],
        { env, encoding: 'utf8' },
      );
      runs.push(Number(ms.trim()));
    }
    runs.sort((a, b) => a - b);
    say(
      `| ${name} bundle (minified ESM, AWS SDK included) / init in a fresh Node process (median of 5) | ${(size / 1024 / 1024).toFixed(2)} MB / ${percentile(runs, 50).toFixed(0)} ms | ${name === 'api' ? '< 1 MB / < 250 ms' : '- / < 250 ms'} |`,
    );
  }
}

/** The worst inputs for the redactor and a backtracking custom pattern: timings the test suite no longer asserts. */
async function pathological(): Promise<void> {
  for (const [name, text] of PATHOLOGICAL_TEXTS) {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      redact(text);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    say(`| redact 100 KB of ${name} (median of 5) | ${percentile(times, 50).toFixed(1)} ms | < 1,000 ms |`);
  }
}

const benches: Record<string, () => Promise<void>> = {
  pathological,
  diagnose: diagnosisThroughput,
  'cluster-calls': clusterCalls,
  ingest,
  'alert-to-slack': alertToSlack,
  'dynamo-cost': dynamoCost,
  storm,
  'interaction-ack': () => interactionAck(say, percentile),
  bundles,
};
// `npm run bench -- storm ingest` runs only those.
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown bench ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}\n`,
  );
  process.exit(2);
}
say('| measure | result | goal |');
say('|---|---|---|');
for (const [name, run] of Object.entries(benches))
  if (chosen.length === 0 || chosen.includes(name)) await run();
if (after.length > 0) {
  say();
  say(`Cost per million alerts (dynamo-cost), list prices as known on ${PRICES_AS_OF}:`);
  for (const line of after) say(line);
}
