// Bench: how long POST /slack/interactions takes to answer Slack (which waits 3 s): signature, replay write, incident
// read and queueing, against the embedded DynamoDB-compatible store.
import { loadScenarios } from '../src/local/cluster/scenarios.js';
import { postWebhook, startHarness } from '../test/support/harness.js';
import { pressRequest, sendInteraction } from '../test/support/slack-interaction.js';

export async function interactionAck(
  say: (line: string) => void,
  percentile: (s: number[], p: number) => number,
) {
  const oom = loadScenarios().find((s) => s.id === 'oom-checkout-api')!;
  const h = await startHarness({ cluster: oom.cluster });
  try {
    await postWebhook(h, oom.webhook);
    await h.queue.idle();
    const [incident] = (await h.store.list({ limit: 1 })).items;
    const times: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      // Right and Wrong alternate: cheap for the worker, so the api path is what is timed.
      const request = pressRequest({
        actionId: i % 2 === 0 ? 'triage_right' : 'triage_wrong',
        value: incident!.id,
        responseUrl: h.slack.responseUrl(`bench-${i}`),
        messageTs: `1795423262.${String(i).padStart(6, '0')}`,
      });
      const started = performance.now();
      const response = await sendInteraction(h, request);
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`press ${i} answered ${response.status}`);
    }
    await h.queue.idle();
    times.sort((a, b) => a - b);
    say(
      `| Slack button press answered (verify, replay write, incident read, queue), p50 / p99 of 200 | ${percentile(times, 50).toFixed(1)} ms / ${percentile(times, 99).toFixed(1)} ms | < 3,000 ms (Slack's limit) |`,
    );
  } finally {
    await h.close();
  }
}
