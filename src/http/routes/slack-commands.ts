// POST /slack/commands: verify Slack's signature on the raw body, answer at once, queue the real work for the worker.
import { Hono } from 'hono';
import type { Logger } from '../../log.js';
import type { CommandQueue } from '../../ports.js';
import { grantOf, OPEN_ACCESS, refusedCaller, refusedCommand, type SlackAccess } from '../../slack/access.js';
import { ackText, errorAnswer, helpAnswer } from '../../slack/answers.js';
import { commandJobFromForm } from '../../slack/command-job.js';
import { parseCommand, subjectOf } from '../../slack/parse-command.js';
import { MemoryReplayGuard, type ReplayGuard, replayKey } from '../../slack/replay-guard.js';
import { hostOf, isAllowedResponseUrl } from '../../slack/response-url.js';
import {
  MAX_SKEW_SECONDS,
  type SignatureRejection,
  verifySlackSignature,
} from '../../slack/verify-signature.js';
import { HttpError } from '../errors.js';
import { readLimited } from '../json-body.js';

/** Slack's slash-command forms are well under 4 KiB. */
export const SLACK_BODY_LIMIT = 16 * 1024;

export interface SlackCommandDeps {
  /** undefined refuses every request. */
  readonly signingSecret: string | undefined;
  readonly queue: CommandQueue;
  /** Its origin is the one besides hooks.slack.com that a response_url may point at (a local stand-in). */
  readonly slackApiUrl: string | undefined;
  /** Teams, users and namespaces allowed (slack/access.ts); absent: everyone, every namespace. */
  readonly access?: SlackAccess;
  /**
   * Refuses a signed request seen before within the signature window. Absent: an in-process one is made (one
   * process); Lambda passes the DynamoDB one, shared by every api instance.
   */
  readonly replays?: ReplayGuard;
}

const REJECTIONS: Record<SignatureRejection, string> = {
  no_secret: 'SLACK_SIGNING_SECRET is not configured, so slash commands are refused',
  missing_headers: 'X-Slack-Signature and X-Slack-Request-Timestamp are required',
  malformed_timestamp: 'X-Slack-Request-Timestamp is not a Unix time in seconds',
  malformed_signature: 'X-Slack-Signature is not a v0 signature',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes from now',
  signature_mismatch: 'X-Slack-Signature does not match the request',
};

const ephemeral = (message: { text: string; blocks?: readonly Record<string, unknown>[] }) => ({
  response_type: 'ephemeral' as const,
  ...message,
});

export function slackCommandRoutes(deps: SlackCommandDeps & { log: Logger; now: () => Date }): Hono {
  const app = new Hono();
  const access = deps.access ?? OPEN_ACCESS;
  const replays = deps.replays ?? new MemoryReplayGuard(deps.now);
  app.post('/', async (c) => {
    if (!deps.signingSecret) throw new HttpError(401, 'slack_not_configured', REJECTIONS.no_secret);
    // The signature covers the bytes as sent: hash them before anything parses (and re-encodes) the form.
    // Counted while read, whatever Content-Length claims (hono's bodyLimit trusts the header when present).
    const raw = await readLimited(c.req.raw, SLACK_BODY_LIMIT);
    if (!raw) throw new HttpError(413, 'payload_too_large', `body exceeds ${SLACK_BODY_LIMIT} bytes`);
    const check = verifySlackSignature({
      secret: deps.signingSecret,
      headers: c.req.raw.headers,
      rawBody: raw,
      now: deps.now(),
    });
    if (!check.ok) {
      deps.log.warn('slash command refused', { reason: check.reason });
      throw new HttpError(401, 'invalid_signature', REJECTIONS[check.reason]);
    }

    // A valid signature stays valid for the whole window: the same request twice is refused the second time.
    const timestamp = c.req.header('x-slack-request-timestamp') ?? '';
    const key = replayKey(timestamp, c.req.header('x-slack-signature') ?? '');
    const until = new Date((Number(timestamp) + MAX_SKEW_SECONDS + 60) * 1000);
    if (!(await replays.firstUse(key, until))) {
      deps.log.warn('slash command refused', { reason: 'replayed' });
      throw new HttpError(401, 'replayed_request', 'this signed request was already received');
    }

    const form = new URLSearchParams(new TextDecoder().decode(raw));
    // Slack's certificate check for the command URL: it only wants a 200.
    if (form.get('ssl_check') === '1') return c.body(null, 200);
    const job = commandJobFromForm(form, deps.now().toISOString());
    if (!job)
      throw new HttpError(
        400,
        'invalid_command',
        'a slash command needs command and response_url, each within the sizes Slack sends',
      );
    if (!isAllowedResponseUrl(job.responseUrl, deps.slackApiUrl)) {
      deps.log.warn('slash command refused: response_url is not on Slack', {
        host: hostOf(job.responseUrl),
      });
      throw new HttpError(400, 'invalid_response_url', 'response_url must be on https://hooks.slack.com/');
    }

    const caller = refusedCaller(access, job.teamId, job.userId);
    if (caller) {
      deps.log.warn('slash command refused: caller not allowed', { team: job.teamId, user: job.userId });
      return c.json(ephemeral({ text: `Sorry: ${caller}.` }));
    }

    const command = parseCommand(job.text);
    // Help and bad input need no cluster or store: answered here, nothing queued.
    if (command.kind === 'help') return c.json(ephemeral(helpAnswer(job.command, command.unknown)));
    if (command.kind === 'invalid')
      return c.json(ephemeral(errorAnswer(command.message, command.usage, job.command)));
    const outside = refusedCommand(command, grantOf(access, job.channelId, job.userId));
    if (outside) {
      deps.log.warn('slash command refused: outside the namespaces granted', {
        kind: command.kind,
        channel: job.channelId,
        user: job.userId,
      });
      return c.json(ephemeral({ text: `Sorry: ${outside}.` }));
    }
    try {
      await deps.queue.enqueueCommand(job);
    } catch (error) {
      deps.log.error('could not queue slash command', { command: job.command, kind: command.kind, error });
      // Slack shows any non-200 as a bare failure; this says what happened and what to do.
      return c.json(
        ephemeral({
          text: 'I could not start on that just now (the work queue is unavailable). Try again in a minute.',
        }),
      );
    }
    deps.log.info('slash command accepted', { command: job.command, kind: command.kind, user: job.userId });
    return c.json(ephemeral({ text: ackText(subjectOf(command)) }));
  });
  return app;
}
