// Proves the Slack Web API stand-in behaves like Slack for the real @slack/web-api WebClient.
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../support/standins/slack-api.js';

const TOKEN = 'xoxb-test-token';
const CHANNEL = 'C0ALERTS01';

let slack: SlackStandIn;

const client = (retryConfig: {
  retries: number;
  factor?: number;
  minTimeout?: number;
  maxTimeout?: number;
}) =>
  new WebClient(TOKEN, {
    slackApiUrl: slack.url,
    retryConfig,
    rejectRateLimitedCalls: false,
    logLevel: LogLevel.ERROR,
  });

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'KubePodCrashLooping: payments/checkout-api' } },
  { type: 'section', text: { type: 'mrkdwn', text: '*Diagnosis:* OOMKilled at 512Mi' } },
];

beforeEach(async () => {
  slack = await startSlackStandIn({ token: TOKEN });
});

afterEach(async () => {
  await slack.close();
});

describe('Slack Web API stand-in', () => {
  it('records a WebClient postMessage (form-encoded) with its blocks decoded', async () => {
    const result = await client({ retries: 0 }).chat.postMessage({
      channel: CHANNEL,
      text: 'crash loop',
      blocks,
    });

    expect(result.ok).toBe(true);
    expect(result.ts).toMatch(/^\d+\.\d{6}$/);
    const [call] = slack.calls;
    expect(call?.method).toBe('chat.postMessage');
    expect(call?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call?.body).toMatchObject({ channel: CHANNEL, text: 'crash loop', blocks });
    expect(slack.messages(CHANNEL)).toEqual([
      {
        ts: result.ts,
        text: 'crash loop',
        blocks: blocks.map((b) => ({ ...b, block_id: expect.any(String) })),
      },
    ]);
  });

  it('hands out strictly increasing ts values', async () => {
    const web = client({ retries: 0 });
    const first = await web.chat.postMessage({ channel: CHANNEL, text: 'one' });
    const second = await web.chat.postMessage({ channel: CHANNEL, text: 'two' });

    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it('threads a reply under its parent message', async () => {
    const web = client({ retries: 0 });
    const parent = await web.chat.postMessage({ channel: CHANNEL, text: 'firing' });
    const reply = await web.chat.postMessage({
      channel: CHANNEL,
      text: 'resolved',
      thread_ts: String(parent.ts),
    });

    expect(reply.message?.thread_ts).toBe(parent.ts);
    expect(slack.messages(CHANNEL).map((m) => [m.text, m.thread_ts])).toEqual([
      ['firing', undefined],
      ['resolved', parent.ts],
    ]);
  });

  it('rejects a reply to a thread that does not exist in the channel', async () => {
    const web = client({ retries: 0 });
    const parent = await web.chat.postMessage({ channel: CHANNEL, text: 'firing' });

    await expect(
      web.chat.postMessage({ channel: 'C0OTHER001', text: 'resolved', thread_ts: String(parent.ts) }),
    ).rejects.toMatchObject({ data: { ok: false, error: 'thread_not_found' } });
    expect(slack.messages('C0OTHER001')).toEqual([]);
  });

  it("rejects a reply whose thread_ts is another reply's ts", async () => {
    const web = client({ retries: 0 });
    const parent = await web.chat.postMessage({ channel: CHANNEL, text: 'firing' });
    const reply = await web.chat.postMessage({
      channel: CHANNEL,
      text: 'update',
      thread_ts: String(parent.ts),
    });

    await expect(
      web.chat.postMessage({ channel: CHANNEL, text: 'resolved', thread_ts: String(reply.ts) }),
    ).rejects.toMatchObject({ data: { error: 'thread_not_found' } });
  });

  it('conversations.history lists top-level messages newest first, with metadata only when asked, in pages', async () => {
    const web = client({ retries: 0 });
    const metadata = { event_type: 'alert_triage_incident', event_payload: { incident_id: 'i-1' } };
    const first = await web.chat.postMessage({ channel: CHANNEL, text: 'one', metadata });
    await web.chat.postMessage({ channel: CHANNEL, text: 'reply', thread_ts: String(first.ts) });
    await web.chat.postMessage({ channel: CHANNEL, text: 'two' });

    const plain = await web.conversations.history({ channel: CHANNEL });
    expect(plain.messages?.map((m) => [m.text, 'metadata' in m])).toEqual([
      ['two', false],
      ['one', false],
    ]);
    const page1 = await web.conversations.history({ channel: CHANNEL, include_all_metadata: true, limit: 1 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['two']);
    const page2 = await web.conversations.history({
      channel: CHANNEL,
      include_all_metadata: true,
      limit: 1,
      cursor: page1.response_metadata?.next_cursor ?? '',
    });
    expect(page2.messages?.[0]).toMatchObject({ text: 'one', metadata });
    expect(page2.has_more).toBe(false);
    const thread = await web.conversations.replies({ channel: CHANNEL, ts: String(first.ts) });
    expect(thread.messages?.map((m) => m.text)).toEqual(['one', 'reply']);
  });

  it('an applied script does the work and still answers badly, like a lost answer', async () => {
    slack.script('chat.postMessage', { status: 500, applied: true });
    await expect(
      client({ retries: 0 }).chat.postMessage({ channel: CHANNEL, text: 'x' }),
    ).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
    });
    expect(slack.messages(CHANNEL).map((m) => m.text)).toEqual(['x']);
  });

  it('chat.update replaces the text and keeps blocks that were left out', async () => {
    const web = client({ retries: 0 });
    const posted = await web.chat.postMessage({ channel: CHANNEL, text: 'firing', blocks });
    await web.chat.update({ channel: CHANNEL, ts: String(posted.ts), text: '[RESOLVED] firing' });

    const [message] = slack.messages(CHANNEL);
    expect(message?.text).toBe('[RESOLVED] firing');
    expect(message?.blocks).toHaveLength(2);

    await web.chat.update({ channel: CHANNEL, ts: String(posted.ts), text: 'cleared', blocks: [] });
    expect(slack.messages(CHANNEL)).toEqual([{ ts: posted.ts, text: 'cleared' }]);
  });

  it('chat.update of an unknown ts answers message_not_found', async () => {
    const web = client({ retries: 0 });
    await web.chat.postMessage({ channel: CHANNEL, text: 'firing' });

    await expect(web.chat.update({ channel: CHANNEL, ts: '1.000001', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('answers invalid_blocks for 51 blocks and stores nothing', async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `#${i}` },
    }));

    await expect(
      client({ retries: 0 }).chat.postMessage({ channel: CHANNEL, text: 'x', blocks: many }),
    ).rejects.toMatchObject({ data: { ok: false, error: 'invalid_blocks' } });
    expect(slack.messages(CHANNEL)).toEqual([]);
    expect(slack.calls[0]?.answeredError).toBe('invalid_blocks');
  });

  it('answers invalid_blocks for an over-long header and a mrkdwn header', async () => {
    const web = client({ retries: 0 });
    const long = [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }];
    const mrkdwn = [{ type: 'header', text: { type: 'mrkdwn', text: '*h*' } }];

    await expect(web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: long })).rejects.toMatchObject({
      data: { error: 'invalid_blocks', errors: [expect.stringContaining('/blocks/0/text/text')] },
    });
    await expect(web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: mrkdwn })).rejects.toMatchObject(
      {
        data: { error: 'invalid_blocks' },
      },
    );
  });

  it('answers invalid_blocks for section text over 3000 characters and more than 10 fields', async () => {
    const web = client({ retries: 0 });
    const longText = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const fields = Array.from({ length: 11 }, (_, i) => ({ type: 'mrkdwn' as const, text: `f${i}` }));

    await expect(
      web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: longText }),
    ).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    await expect(
      web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [{ type: 'section', fields }] }),
    ).rejects.toMatchObject({
      data: { error: 'invalid_blocks', errors: [expect.stringContaining('/blocks/0/fields')] },
    });
  });

  it('a wrong token gets invalid_auth and a missing one not_authed', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const none = new WebClient(undefined, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });

    await expect(wrong.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    await expect(none.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'not_authed' } });
    await expect(client({ retries: 0 }).auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('an unknown method gets unknown_method', async () => {
    await expect(client({ retries: 0 }).apiCall('chat.nonsense')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
  });

  it('a 429 with Retry-After is waited out and retried, leaving exactly one message', async () => {
    slack.script('chat.postMessage', { status: 429, retryAfter: 1 });
    const web = client({ retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 });

    const result = await web.chat.postMessage({ channel: CHANNEL, text: 'firing' });

    expect(result.ok).toBe(true);
    expect(slack.calls.map((c) => c.answeredStatus)).toEqual([429, 200]);
    const [limited, retried] = slack.calls;
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(slack.messages(CHANNEL)).toHaveLength(1);
  });

  it('a scripted 500 fails once and the retry succeeds', async () => {
    slack.script('chat.postMessage', { status: 500 });
    const web = client({ retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 });

    await web.chat.postMessage({ channel: CHANNEL, text: 'firing' });

    expect(slack.calls.map((c) => c.answeredStatus)).toEqual([500, 200]);
    expect(slack.messages(CHANNEL)).toHaveLength(1);
  });

  it('a scripted platform error is answered once with HTTP 200', async () => {
    slack.script('chat.postMessage', { ok: false, error: 'channel_not_found' });
    const web = client({ retries: 0 });

    await expect(web.chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await expect(web.chat.postMessage({ channel: CHANNEL, text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('a hanging call is recorded and ended by close()', async () => {
    slack.script('chat.postMessage', { hang: true });
    const pending = client({ retries: 0 }).chat.postMessage({ channel: CHANNEL, text: 'x' });
    const settled = pending.then(
      () => 'resolved',
      () => 'rejected',
    );

    const [call] = await slack.waitForCalls(1);
    expect(call?.answeredStatus).toBeUndefined();
    await slack.close();
    expect(await settled).toBe('rejected');
  });

  it('waitForCalls resolves once enough calls have arrived', async () => {
    const waiting = slack.waitForCalls(2);
    const web = client({ retries: 0 });
    void web.chat.postMessage({ channel: CHANNEL, text: 'one' });
    void web.chat.postMessage({ channel: CHANNEL, text: 'two' });

    const calls = await waiting;
    expect(calls.map((c) => c.body.text).sort()).toEqual(['one', 'two']);
  });

  it('waitForCalls rejects after its timeout', async () => {
    await expect(slack.waitForCalls(1, 20)).rejects.toThrow(/expected 1 calls/);
  });

  it('accepts a JSON body and warns about a missing charset', async () => {
    const response = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel: CHANNEL, blocks }),
    });

    expect(await response.json()).toMatchObject({
      ok: true,
      response_metadata: { warnings: ['missing_charset', 'missing_text_fallback'] },
    });
    expect(slack.calls[0]?.body.blocks).toEqual(blocks);
  });

  it('records JSON posts to a response_url', async () => {
    const url = slack.responseUrl('cmd-1');
    const waiting = slack.waitForResponses(1);

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Triage for payments/checkout-api' }),
    });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(await waiting).toEqual([
      { id: 'cmd-1', body: { response_type: 'ephemeral', text: 'Triage for payments/checkout-api' } },
    ]);
  });
});
