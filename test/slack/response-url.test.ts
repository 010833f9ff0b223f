// response_url: only Slack (or the configured Slack API's origin) gets an answer; failures a retry can fix throw.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowedResponseUrl, responsePoster } from '../../src/commands/response-url.js';
import { DependencyError } from '../../src/ports.js';
import { type SlackStandIn, startSlackStandIn } from '../support/standins/slack-api.js';

const HOOK = 'https://hooks.slack.com/commands/T0EXAMPLE1/8123456789012/AbCdEfGhIjKlMnOpQrStUvWx';

describe('isAllowedResponseUrl', () => {
  it.each([
    [HOOK, undefined],
    ['https://hooks.slack.com:443/commands/T1/2/3', undefined],
    ['https://HOOKS.SLACK.COM/commands/T1/2/3', undefined],
    ['http://127.0.0.1:4567/response/abc', 'http://127.0.0.1:4567/api/'],
  ])('allows %s', (url, api) => {
    expect(isAllowedResponseUrl(url, api)).toBe(true);
  });

  it.each([
    ['http://hooks.slack.com/commands/T1/2/3', undefined],
    ['https://hooks.slack.com:8443/commands/T1/2/3', undefined],
    ['https://hooks.slack.com.evil.example/commands', undefined],
    ['https://evil.example/hooks.slack.com/commands', undefined],
    ['https://hooks.slack.com@evil.example/commands', undefined],
    ['https://user:pass@hooks.slack.com/commands', undefined],
    ['https://slack.com/api/chat.postMessage', undefined],
    ['http://169.254.169.254/latest/meta-data/', undefined],
    ['http://127.0.0.1:4568/response/abc', 'http://127.0.0.1:4567/api/'],
    ['https://127.0.0.1:4567/response/abc', 'http://127.0.0.1:4567/api/'],
    ['file:///etc/passwd', 'file:///tmp/'],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
    ['', undefined],
    ['http://127.0.0.1:4567/response/abc', 'not a url'],
  ])('refuses %s (Slack API URL %s)', (url, api) => {
    expect(isAllowedResponseUrl(url, api)).toBe(false);
  });
});

describe('responsePoster', () => {
  let slack: SlackStandIn;
  let other: Server;
  let otherBase: string;
  beforeAll(async () => {
    slack = await startSlackStandIn();
    other = createServer((req, res) => {
      const status = Number(req.url?.slice(1));
      if (req.url === '/hang') return;
      if (req.url === '/redirect') {
        res.writeHead(302, { location: slack.responseUrl('redirected') });
        return res.end();
      }
      res.writeHead(status || 200).end('x');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await slack.close();
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  const answer = { text: 'hello', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }] };

  it('posts an ephemeral JSON message with text and blocks', async () => {
    const post = responsePoster({ slackApiUrl: slack.url });
    expect(await post(slack.responseUrl('one'), answer)).toBe('posted');
    expect(slack.responses.at(-1)).toEqual({
      id: 'one',
      body: { response_type: 'ephemeral', text: 'hello', blocks: answer.blocks },
    });
  });

  it('refuses a foreign host without sending anything', async () => {
    const before = slack.responses.length;
    const post = responsePoster({ slackApiUrl: slack.url });
    expect(await post(`${otherBase}/200`, answer)).toBe('refused');
    expect(await post(slack.responseUrl('x').replace('127.0.0.1', 'localhost'), answer)).toBe('refused');
    expect(slack.responses.length).toBe(before);
  });

  describe('with the other server allowed', () => {
    const post = () => responsePoster({ slackApiUrl: `${otherBase}/`, timeoutMs: 200 });

    it('throws a retryable DependencyError on 5xx, 429 and timeouts', async () => {
      for (const path of ['/500', '/503', '/429', '/hang']) {
        await expect(post()(`${otherBase}${path}`, answer)).rejects.toBeInstanceOf(DependencyError);
      }
    });

    it('reports 4xx (an expired or used-up response_url) as rejected, not retryable', async () => {
      expect(await post()(`${otherBase}/404`, answer)).toBe('rejected');
      expect(await post()(`${otherBase}/410`, answer)).toBe('rejected');
    });

    it('does not follow a redirect to another host', async () => {
      await expect(post()(`${otherBase}/redirect`, answer)).rejects.toBeInstanceOf(DependencyError);
      expect(slack.responses.some((r) => r.id === 'redirected')).toBe(false);
    });
  });
});
