// Secrets in configuration, request headers and the crashed container's output never reach logs, incidents or Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.js';
import { incidentId } from '../../src/domain/incident.js';
import type { ScenarioCluster } from '../../src/local/cluster/scenario.js';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import {
  API_TOKEN,
  getJson,
  type Harness,
  SIGNING_SECRET,
  SLACK_TOKEN,
  startHarness,
  WEBHOOK_TOKEN,
} from '../support/harness.js';

const CLUSTER_PROXY_TOKEN = 'cluster-proxy-token-Zq8rT5vW2xY7uB4n';
const HEADER_SECRETS = {
  cookie: 'session=cookie-secret-Hq3mK9pL2vX8',
  'x-api-key': 'header-api-key-Rt6yU1iO4pA7',
  'x-forwarded-client-cert': 'Hash=client-cert-secret-Lk5jH2gF9dS3',
};

/** What a crashing app prints: each value is a credential that must be masked wherever it goes. */
const LOGGED = {
  dbPassword: 'hunter2-secret-Wm4n',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhY2NvdW50cy1hcGkifQ.c2lnbmF0dXJlLXNlY3JldC1Ycjd0',
  slack: 'xoxb-1234567890-0987654321-SeCrEtSlAcKtOkEn',
  awsKeyId: 'AKIAIOSFODNN7SECRET1',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY',
  urlPassword: 'pa55word-Secret9',
  pythonDict: 'py-dict-secret-Qe2r',
  webhookUrl: 'T0000SECRET/B0000SECRET/XXXXsecretXXXXsecret',
};
const CRASH_LOG = [
  '[2026-11-23 08:38:41 +0000] [1] [INFO] Starting gunicorn 22.0.0',
  `[2026-11-23 08:38:41 +0000] [1] [DEBUG] environment: DB_PASSWORD=${LOGGED.dbPassword} AWS_ACCESS_KEY_ID=${LOGGED.awsKeyId}`,
  `[2026-11-23 08:38:41 +0000] [1] [DEBUG] aws_secret_access_key = ${LOGGED.awsSecret}`,
  `[2026-11-23 08:38:41 +0000] [1] [DEBUG] slack client ready with token ${LOGGED.slack} to https://hooks.slack.com/services/${LOGGED.webhookUrl}`,
  `[2026-11-23 08:38:41 +0000] [1] [DEBUG] settings {'password': '${LOGGED.pythonDict}', 'user': 'accounts'}`,
  `[2026-11-23 08:38:42 +0000] [1] [DEBUG] calling auth with Authorization: Bearer ${LOGGED.jwt}`,
  `[2026-11-23 08:38:42 +0000] [1] [ERROR] failed to parse DATABASE_URL=postgres://accounts:${LOGGED.urlPassword}@db:5432/accounts (token ${LOGGED.jwt})`,
].join('\n');

/** Rule authors template annotations from labels; a DSN with its password ends up in one now and then. */
const ANNOTATION_SECRET = 'annotation-dsn-secret-Pq7w';

const SECRETS: Record<string, string> = {
  ANNOTATION_SECRET,
  WEBHOOK_TOKEN,
  API_TOKEN,
  SLACK_TOKEN,
  SIGNING_SECRET,
  CLUSTER_PROXY_TOKEN,
  ...Object.fromEntries(Object.entries(HEADER_SECRETS).map(([k, v]) => [`header ${k}`, v.split('=')[1]!])),
  ...Object.fromEntries(Object.entries(LOGGED).map(([k, v]) => [`logged ${k}`, v])),
};

/** The config-error scenario, with the crash log above in the previous log, the termination message and an event. */
function leakyCluster(cluster: ScenarioCluster): ScenarioCluster {
  const copy = structuredClone(cluster) as unknown as {
    pods: { status: { containerStatuses: { lastState: { terminated: Record<string, unknown> } }[] } }[];
    logs: { text: string; previous: boolean }[];
    events: Record<string, unknown>[];
  };
  for (const log of copy.logs) if (log.previous) log.text = CRASH_LOG;
  // terminationMessagePolicy: FallbackToLogsOnError puts the log's tail into the termination message.
  for (const status of copy.pods[0]?.status.containerStatuses ?? [])
    status.lastState.terminated.message = CRASH_LOG;
  const backOff = copy.events.at(-1)!;
  copy.events.push({
    ...backOff,
    metadata: { ...(backOff.metadata as object), name: 'accounts-api.unhealthy' },
    reason: 'Unhealthy',
    message: `Readiness probe failed: HTTP probe failed with statuscode: 401, body {"error":"expired","token":"${LOGGED.jwt}"}`,
  });
  return copy as unknown as ScenarioCluster;
}

const scenario = loadScenarios().find((s) => s.id === 'config-error')!;
type Webhook = {
  alerts: { fingerprint: string; startsAt: string; annotations: Record<string, string> }[];
  commonAnnotations: Record<string, string>;
};
const webhook = structuredClone(scenario.webhook) as unknown as Webhook;
const firstAlert = webhook.alerts[0]!;
const dsn = `database postgres://accounts:${ANNOTATION_SECRET}@db:5432/accounts is unreachable`;
firstAlert.annotations.description = dsn;
webhook.commonAnnotations.description = dsn;

let h: Harness;
let incident: Incident;
let incidentJson: string;

beforeAll(async () => {
  h = await startHarness({
    cluster: leakyCluster(scenario.cluster),
    env: { CLUSTER_PROXY_TOKEN },
  });
  const response = await h.app.request('/alertmanager', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${WEBHOOK_TOKEN}`,
      ...HEADER_SECRETS,
    },
    body: JSON.stringify(webhook),
  });
  expect(response.status).toBe(200);
  // A rejected request with the secrets in its headers, too: errors must not echo them.
  const refused = await h.app.request('/alertmanager', {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, ...HEADER_SECRETS },
    body: '{',
  });
  expect(refused.status).toBe(401);
  await h.queue.idle();
  const read = await getJson(h, `/incidents/${incidentId(firstAlert)}`);
  expect(read.status).toBe(200);
  incidentJson = await read.text();
  incident = JSON.parse(incidentJson) as Incident;
});

afterAll(async () => {
  await h?.close();
});

describe('secrets stay secret through webhook -> triage -> incident -> Slack', () => {
  it('ran the whole flow: diagnosed from the redacted crash log and posted to Slack', () => {
    expect(incident.findings[0]?.signatureId).toBe('config-error');
    expect(JSON.stringify(incident.findings[0]?.evidence)).toContain('REDACTED');
    expect(incident.annotations.description).toBe(
      'database postgres://accounts:[REDACTED]@db:5432/accounts is unreachable',
    );
    expect(h.slack.calls.some((c) => c.method === 'chat.postMessage')).toBe(true);
    expect(h.logs.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(SECRETS))('%s is in no log line', (_, secret) => {
    expect(h.logs.filter((line) => line.includes(secret))).toEqual([]);
  });

  it.each(Object.entries(SECRETS))('%s is not in the stored incident', (_, secret) => {
    expect(incidentJson).not.toContain(secret);
  });

  it.each(Object.entries(SECRETS))('%s is in no Slack call body', (_, secret) => {
    const bodies = h.slack.calls.map((c) => JSON.stringify(c.body));
    expect(bodies.filter((b) => b.includes(secret))).toEqual([]);
  });
});
