// POST /slack/interactions: a button on a triage message. Verified, checked and queued at once; the worker acts.
import { Hono } from 'hono';
import type { Logger } from '../../log.js';
import type { IncidentStore, InteractionQueue, ReplayGuard } from '../../ports.js';
import type { SlackAccess } from '../../slack/access.js';
import { type InteractionJob, parseInteraction } from '../../slack/interaction.js';
import { mayAct } from '../../slack/may-act.js';
import { replayKey } from '../../slack/replay-guard.js';
import { hostOf, isAllowedResponseUrl, type ResponsePoster } from '../../slack/response-url.js';
import { MAX_SKEW_SECONDS, verifySlackSignature } from '../../slack/verify-signature.js';
import { HttpError } from '../errors.js';
import { readLimited } from '../json-body.js';

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

const REFUSED = {
  no_secret: 'SLACK_SIGNING_SECRET is not configured, so interactions are refused',
  missing_headers: 'X-Slack-Signature and X-Slack-Request-Timestamp are required',
  malformed_timestamp: 'X-Slack-Request-Timestamp is not a Unix time in seconds',
  malformed_signature: 'X-Slack-Signature is not a v0 signature',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes from now',
  signature_mismatch: 'X-Slack-Signature does not match the request',
} as const;

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
    if (!deps.signingSecret) throw new HttpError(401, 'slack_not_configured', REFUSED.no_secret);
    const raw = await readLimited(c.req.raw, INTERACTION_BODY_LIMIT);
    if (!raw) throw new HttpError(413, 'payload_too_large', `body exceeds ${INTERACTION_BODY_LIMIT} bytes`);
    const check = verifySlackSignature({
      secret: deps.signingSecret,
      headers: c.req.raw.headers,
      rawBody: raw,
      now: deps.now(),
    });
    if (!check.ok) {
      deps.log.warn('slack interaction refused', { reason: check.reason });
      throw new HttpError(401, 'invalid_signature', REFUSED[check.reason]);
    }
    // A signature is good for 5 minutes: the same request seen again is a replay, whoever sends it.
    const signature = c.req.header('x-slack-signature') ?? '';
    const timestamp = c.req.header('x-slack-request-timestamp') ?? '';
    const expiresAt = new Date(deps.now().getTime() + (MAX_SKEW_SECONDS * 2 + 60) * 1000);
    if (!(await deps.replay.firstUse(replayKey(timestamp, signature), expiresAt))) {
      deps.log.warn('slack interaction refused: replayed');
      throw new HttpError(401, 'replayed_request', 'this signed request was already handled');
    }

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
