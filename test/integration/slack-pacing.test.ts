// Slack's per-channel pace holds across workers: two workers (two pacers on one table) get distinct slots one
// interval apart. Clock and sleep are injected: the test asserts the slots, not elapsed time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../src/adapters/dynamo/ensure-table.js';
import { DynamoSlackPacer } from '../../src/adapters/dynamo/slack-pacer.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../src/local/embedded-dynamo.js';

let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  await ensureTable(dynamo.client, 'pacing');
});
afterAll(async () => dynamo.close());

describe('Slack pacing across workers', () => {
  it('posts from two workers at once are spread one interval apart, then a quiet channel posts at once', async () => {
    let now = 1_000_000;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const worker = () => new DynamoSlackPacer(dynamo.client, 'pacing', 1000, () => now, sleep);
    const [a, b] = [worker(), worker()];
    await Promise.all([a.wait('C1'), b.wait('C1'), a.wait('C1'), b.wait('C1')]);
    expect(waits.sort((x, y) => x - y)).toEqual([1000, 2000, 3000]);
    // Another channel has its own pace.
    await a.wait('C2');
    expect(waits).toHaveLength(3);
    // Later, once the reserved slots have passed, the next post goes at once.
    now += 10_000;
    await b.wait('C1');
    expect(waits).toHaveLength(3);
  });
});
