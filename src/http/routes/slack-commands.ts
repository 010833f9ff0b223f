// POST /slack/commands: verify Slack's signature on the raw body, answer at once, queue the real work for the worker.
import { Hono } from 'hono';
import {
  grantOf,
  OPEN_ACCESS,
  refusedCaller,
  refusedCommand,
  type SlackAccess,
} from '../../commands/access.js';
import { commandJob, slashForm } from '../../commands/command-job.js';
import { parseCommand, subjectOf, USAGE } from '../../commands/parse-command.js';
import { MemoryReplayGuard, type ReplayGuard } from '../../commands/replay-guard.js';
import { hostOf, isAllowedResponseUrl } from '../../commands/response-url.js';
import type { Logger } from '../../log.js';
import type { CommandQueue } from '../../ports.js';
import { ackText, errorAnswer, helpAnswer } from '../../slack-render/command-answers.js';
import { HttpError } from '../errors.js';
import { signedSlackBody } from '../signed-slack-request.js';

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

const ephemeral = (message: { text: string; blocks?: readonly Record<string, unknown>[] }) => ({
  response_type: 'ephemeral' as const,
  ...message,
});

export function slackCommandRoutes(deps: SlackCommandDeps & { log: Logger; now: () => Date }): Hono {
  const app = new Hono();
  const access = deps.access ?? OPEN_ACCESS;
  const replays = deps.replays ?? new MemoryReplayGuard(deps.now);
  app.post('/', async (c) => {
    const raw = await signedSlackBody(c, {
      signingSecret: deps.signingSecret,
      replays,
      limit: SLACK_BODY_LIMIT,
      now: deps.now,
      log: deps.log,
      what: 'slash commands',
    });

    const form = new URLSearchParams(new TextDecoder().decode(raw));
    // Slack's certificate check for the command URL: it only wants a 200.
    if (form.get('ssl_check') === '1') return c.body(null, 200);
    const job = slashForm(form, deps.now().toISOString());
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
    if (command.kind === 'help') return c.json(ephemeral(helpAnswer(job.command, USAGE, command.unknown)));
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
      await deps.queue.enqueueCommand(commandJob(job, command));
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
