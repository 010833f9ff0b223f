// POST /alertmanager: authenticate, validate the v4 webhook, queue one envelope per alert, answer 200 once queued.
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { envelopes, WebhookSchema, withoutIgnored } from '../../domain/alert.js';
import { boundWebhook } from '../../domain/bounds.js';
import type { Logger } from '../../log.js';
import type { AlertQueue } from '../../ports.js';
import { bearerAuth } from '../auth.js';
import { HttpError } from '../errors.js';
import { WEBHOOK_REFUSED, WEBHOOK_UNQUEUED } from '../log-messages.js';
import { validJson } from '../validate.js';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** A real alert is about 1 KB of JSON: this many always fit in WEBHOOK_BODY_LIMIT. */
export const SAFE_MAX_ALERTS = 500;
/**
 * Each alert costs a triage (cluster reads, Prometheus queries, a store write): a delivery brings at most this many.
 * The rest is left out and counted with Alertmanager's own truncatedAlerts, exactly as `max_alerts` would have.
 */
export const MAX_ALERTS_PER_DELIVERY = 1000;

const TOO_LARGE =
  `body exceeds ${WEBHOOK_BODY_LIMIT} bytes; set max_alerts: ${SAFE_MAX_ALERTS} on the webhook receiver ` +
  '(Alertmanager then sends the first alerts and counts the rest in truncatedAlerts)';

/**
 * Alertmanager does not retry a 4xx: an authenticated delivery refused here is never triaged. That is logged as an
 * error (alarmed on), with the reason, so that it is seen and the receiver's configuration fixed.
 */
function refusalsLogged(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // hono turns a thrown error into the response before control comes back here, and keeps it on c.error.
    const error = c.error;
    if (error instanceof HTTPException && error.status >= 400 && error.status < 500)
      log.error(WEBHOOK_REFUSED, {
        status: error.status,
        code: error instanceof HttpError ? error.code : undefined,
        reason: error.message,
      });
  };
}

export function alertmanagerRoutes(deps: {
  webhookToken: string | undefined;
  queue: AlertQueue;
  log: Logger;
  now: () => Date;
  /** Alert names that are never incidents (Watchdog, InfoInhibitor); `severity="none"` is skipped too. */
  ignoredAlerts: ReadonlySet<string>;
}): Hono {
  const app = new Hono();
  app.post(
    '/',
    bearerAuth(deps.webhookToken, 'alertmanager'),
    refusalsLogged(deps.log),
    // The body is read as JSON whatever Content-Type says: Alertmanager always sends application/json, and a 415
    // for a header a proxy rewrote would drop the alerts (Alertmanager does not retry a 4xx).
    validJson(WebhookSchema, {
      code: 'invalid_payload',
      message: 'body is not an Alertmanager webhook v4 payload',
      limit: WEBHOOK_BODY_LIMIT,
      tooLarge: TOO_LARGE,
    }),
    async (c) => {
      // Values past the size bounds are cut here, so an accepted alert always fits the queue, store and Slack.
      const { webhook, cuts } = boundWebhook(c.req.valid('json'));
      if (cuts.length > 0)
        deps.log.warn('alert values cut to size', {
          groupKey: webhook.groupKey,
          cuts: cuts.slice(0, 20),
          total: cuts.length,
        });
      const over = webhook.alerts.length - MAX_ALERTS_PER_DELIVERY;
      if (over > 0)
        deps.log.warn('alerts over the per-delivery maximum left out', {
          groupKey: webhook.groupKey,
          kept: MAX_ALERTS_PER_DELIVERY,
          leftOut: over,
          advice: `set max_alerts: ${SAFE_MAX_ALERTS} on the webhook receiver`,
        });
      const capped =
        over > 0
          ? {
              ...webhook,
              alerts: webhook.alerts.slice(0, MAX_ALERTS_PER_DELIVERY),
              truncatedAlerts: webhook.truncatedAlerts + over,
            }
          : webhook;
      const kept = withoutIgnored(capped, deps.ignoredAlerts);
      if (kept.ignored > 0)
        deps.log.info('alerts ignored: never incidents', {
          groupKey: webhook.groupKey,
          ignored: kept.ignored,
          alertnames: [...new Set(webhook.alerts.map((a) => a.labels.alertname))].slice(0, 10),
        });
      if (kept.webhook.alerts.length === 0) return c.json({ accepted: 0, ignored: kept.ignored });
      const batch = envelopes(kept.webhook, deps.now().toISOString());
      // Nothing is lost: if the queue does not take the alerts, answer 5xx and Alertmanager retries.
      try {
        await deps.queue.enqueue(batch);
      } catch (error) {
        deps.log.error(WEBHOOK_UNQUEUED, { groupKey: webhook.groupKey, alerts: batch.length, error });
        throw new HttpError(503, 'queue_unavailable', 'alerts could not be queued; retry');
      }
      deps.log.info('alerts accepted', {
        groupKey: webhook.groupKey,
        status: webhook.status,
        alerts: batch.length,
        truncatedAlerts: webhook.truncatedAlerts,
      });
      return c.json(
        kept.ignored > 0 ? { accepted: batch.length, ignored: kept.ignored } : { accepted: batch.length },
      );
    },
  );
  return app;
}
