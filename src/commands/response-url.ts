// Posts a command's answer to its response_url, and only to Slack: the URL comes from the request, so it is checked.
import { DependencyError, type ResponsePoster } from '../ports.js';

const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';

/**
 * True for `https://hooks.slack.com/…`, or for a URL on the origin of the configured Slack API URL (a local
 * stand-in in tests). Anything else would let whoever can sign a request make the service POST anywhere.
 */
export function isAllowedResponseUrl(raw: string, slackApiUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.origin === SLACK_HOOKS_ORIGIN) return true;
  if (!slackApiUrl) return false;
  try {
    return url.origin === new URL(slackApiUrl).origin;
  } catch {
    return false;
  }
}

/** Where a response_url points, for logs: the URL itself is a credential for 30 minutes. */
export function hostOf(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return '(not a URL)';
  }
}

export interface ResponsePosterOptions {
  readonly slackApiUrl: string | undefined;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export function responsePoster(options: ResponsePosterOptions): ResponsePoster {
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (responseUrl, answer, extra) => {
    if (!isAllowedResponseUrl(responseUrl, options.slackApiUrl)) return 'refused';
    let response: Response;
    try {
      response = await send(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          response_type: 'ephemeral',
          text: answer.text,
          blocks: answer.blocks,
          ...extra,
        }),
        // An allowed host must not bounce the post (and the answer) somewhere else.
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DependencyError(
        'slack',
        'response_url_unreachable',
        `response_url: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    await response.body?.cancel();
    if (response.ok) return 'posted';
    if (response.status === 429 || response.status >= 500)
      throw new DependencyError(
        'slack',
        `http_${response.status}`,
        `response_url answered ${response.status}`,
      );
    // 4xx: expired (30 minutes, 5 uses) or invalid; posting again will not help.
    return 'rejected';
  };
}
