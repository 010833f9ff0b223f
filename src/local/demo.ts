// `npm run demo`: posts every demo scenario's webhook to the running service and prints the diagnoses it recorded.
import { loadConfig } from '../config.js';
import type { Incident } from '../domain/incident.js';
import { incidentId } from '../domain/incident.js';
import { loadScenarios } from './cluster/scenarios.js';

const config = loadConfig(process.env, 'local');
const base =
  process.env.DEMO_URL ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
const auth = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

async function post(body: unknown): Promise<number> {
  const response = await fetch(`${base}/alertmanager`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Alertmanager/demo',
      ...auth(config.webhookToken),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST /alertmanager answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { accepted: number }).accepted;
}

async function incident(id: string): Promise<Incident | undefined> {
  const response = await fetch(`${base}/incidents/${encodeURIComponent(id)}`, {
    headers: auth(config.apiToken),
  });
  return response.ok ? ((await response.json()) as Incident) : undefined;
}

async function waitFor(id: string, deadline: number): Promise<Incident | undefined> {
  for (;;) {
    const found = await incident(id);
    if ((found && found.notifications.length > 0) || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  try {
    await fetch(`${base}/healthz`);
  } catch {
    process.stderr.write(`No service at ${base}. Start it first with \`npm start\` (in another terminal).\n`);
    process.exit(1);
  }
  const scenarios = loadScenarios();
  for (const scenario of scenarios) await post(scenario.webhook);
  process.stdout.write(
    `Posted ${scenarios.length} scenario webhooks to ${base}/alertmanager; diagnoses:\n\n`,
  );

  const deadline = Date.now() + 30_000;
  let right = 0;
  for (const scenario of scenarios) {
    const alerts = (scenario.webhook.alerts ?? []) as { fingerprint: string; startsAt: string }[];
    const first = alerts[0];
    const found = first ? await waitFor(incidentId(first), deadline) : undefined;
    const top = found?.findings[0];
    const got = top
      ? `${top.signatureId} (${top.confidence})`
      : found
        ? 'no signature matched'
        : 'not recorded yet';
    const shared = scenario.expect.inSharedCluster;
    const expected = shared ? shared.signatureId : scenario.expect.signatureId;
    const ok = (top?.signatureId ?? null) === expected && found !== undefined;
    if (ok) right += 1;
    process.stdout.write(`${ok ? '✔' : '✘'} ${scenario.id.padEnd(34)} ${got}\n`);
    if (shared)
      process.stdout.write(`  ${''.padEnd(34)} (alone: ${scenario.expect.signatureId}; ${shared.why})\n`);
  }
  process.stdout.write(`\n${right}/${scenarios.length} as expected. Browse them: curl ${base}/incidents\n`);
}

await main();
