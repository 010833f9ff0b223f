// POST /slack/interactions: a button on a triage message. Verified, checked and queued at once; the worker acts.
import { Hono } from 'hono';
import type { SlackAccess } from '../../commands/access.js';
import { parseInteraction } from '../../commands/interaction.js';
import { mayAct } from '../../commands/may-act.js';
import { hostOf, isAllowedResponseUrl } from '../../commands/response-url.js';
import type { InteractionJob } from '../../domain/interaction-job.js';
import type { Logger } from '../../log.js';
import type { IncidentStore, InteractionQueue, ReplayGuard, ResponsePoster } from '../../ports.js';
import { HttpError } from '../errors.js';
import { signedSlackBody } from '../signed-slack-request.js';

/**
 * An interaction payload carries the whole message it came from, form-encoded: a message at Block Kit's limits
 * (50 blocks of 3,000 characters) is several hundred KiB once escaped twice.
 */
export const INTERACTION_BODY_LIMIT = 1024 * 1024;

export interface SlackInteractionDeps {
  /** undefined refuses every request. */
  readonly signingSecret: string | undefined;
  readonly queue: InteractionQueue;
  readonly store: IncidentStore;
  readonly replay: ReplayGuard;
  readonly access: SlackAccess;
  /** Ephemeral answers (refusals) go straight back on the interaction's response_url. */
  readonly respond: ResponsePoster;
  readonly slackApiUrl: string | undefined;
}

export function slackInteractionRoutes(deps: SlackInteractionDeps & { log: Logger; now: () => Date }): Hono {
  const app = new Hono();

  /** Says it to the user alone and never replaces the message; a failure to say it is logged, not raised. */
  const tell = async (responseUrl: string | undefined, text: string) => {
    if (!responseUrl || !isAllowedResponseUrl(responseUrl, deps.slackApiUrl)) return;
    await deps
      .respond(responseUrl, { text, blocks: [] }, { replace_original: false })
      .catch((error: unknown) => deps.log.warn('could not answer an interaction', { error }));
  };

  app.post('/', async (c) => {
    const raw = await signedSlackBody(c, {
      signingSecret: deps.signingSecret,
      replays: deps.replay,
      limit: INTERACTION_BODY_LIMIT,
      now: deps.now,
      log: deps.log,
      what: 'interactions',
    });

    const parsed = parseInteraction(
      new URLSearchParams(new TextDecoder().decode(raw)),
      deps.now().toISOString(),
    );
    if (!parsed.ok) {
      deps.log.warn('slack interaction not understood', { reason: parsed.reason, detail: parsed.detail });
      if (parsed.reason === 'unknown_action') {
        await tell(parsed.responseUrl, `I do not know that button (${parsed.detail}); nothing was done.`);
        return c.body(null, 200);
      }
      throw new HttpError(400, `invalid_interaction`, parsed.detail);
    }
    const job = parsed.job;
    if (!isAllowedResponseUrl(job.responseUrl, deps.slackApiUrl)) {
      deps.log.warn('slack interaction refused: response_url is not on Slack', {
        host: hostOf(job.responseUrl),
      });
      throw new HttpError(400, 'invalid_response_url', 'response_url must be on https://hooks.slack.com/');
    }

    const incident = job.incidentId ? await deps.store.get(job.incidentId) : undefined;
    if (job.incidentId && !incident) {
      deps.log.warn('slack interaction for an unknown incident', { incidentId: job.incidentId });
      await tell(job.responseUrl, `There is no incident ${job.incidentId} (any more); nothing was done.`);
      return c.body(null, 200);
    }
    const decision = mayAct(
      { user: job.userId, team: job.teamId, channel: job.channelId },
      incident,
      deps.access,
    );
    if (!decision.allowed) {
      deps.log.warn('slack interaction refused: not allowed', { user: job.userId, team: job.teamId });
      await tell(job.responseUrl, `Sorry, ${decision.reason}; nothing was done.`);
      return c.body(null, 200);
    }
    try {
      await deps.queue.enqueueInteraction(job);
    } catch (error) {
      deps.log.error('could not queue slack interaction', { action: job.action, error });
      await tell(
        job.responseUrl,
        'I could not start on that just now (the work queue is unavailable). Try again.',
      );
      return c.body(null, 200);
    }
    deps.log.info('slack interaction accepted', logFields(job));
    return c.body(null, 200);
  });
  return app;
}

function logFields(job: InteractionJob): Record<string, unknown> {
  return {
    action: job.action,
    user: job.userId,
    incidentId: job.incidentId ?? null,
    stormId: job.stormId ?? null,
  };
}
