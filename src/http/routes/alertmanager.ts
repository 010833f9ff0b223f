// POST /alertmanager: authenticate, validate the v4 webhook, queue one envelope per alert, answer 200 once queued.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { envelopes, WebhookSchema } from '../../domain/alert.js';
import type { Logger } from '../../log.js';
import type { AlertQueue } from '../../ports.js';
import { bearerAuth } from '../auth.js';
import { HttpError } from '../errors.js';
import { readJsonBody } from '../json-body.js';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export function alertmanagerRoutes(deps: {
  webhookToken: string | undefined;
  queue: AlertQueue;
  log: Logger;
  now: () => Date;
}): Hono {
  const app = new Hono();
  app.post(
    '/',
    bearerAuth(deps.webhookToken, 'alertmanager'),
    bodyLimit({
      maxSize: WEBHOOK_BODY_LIMIT,
      onError: () => {
        throw new HttpError(413, 'payload_too_large', `body exceeds ${WEBHOOK_BODY_LIMIT} bytes`);
      },
    }),
    async (c) => {
      // The body is read as JSON whatever Content-Type says: Alertmanager always sends application/json, and a
      // 415 for a header a proxy rewrote would drop the alerts (Alertmanager does not retry a 4xx).
      const json = await readJsonBody(c, WEBHOOK_BODY_LIMIT, `body exceeds ${WEBHOOK_BODY_LIMIT} bytes`);
      const parsed = WebhookSchema.safeParse(json);
      if (!parsed.success) {
        const details = parsed.error.issues
          .slice(0, 20)
          .map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new HttpError(
          400,
          'invalid_payload',
          'body is not an Alertmanager webhook v4 payload',
          details,
        );
      }
      const webhook = parsed.data;
      const batch = envelopes(webhook, deps.now().toISOString());
      // Nothing is lost: if the queue does not take the alerts, answer 5xx and Alertmanager retries.
      try {
        await deps.queue.enqueue(batch);
      } catch (error) {
        deps.log.error('could not queue alerts', { groupKey: webhook.groupKey, alerts: batch.length, error });
        throw new HttpError(503, 'queue_unavailable', 'alerts could not be queued; retry');
      }
      deps.log.info('alerts accepted', {
        groupKey: webhook.groupKey,
        status: webhook.status,
        alerts: batch.length,
        truncatedAlerts: webhook.truncatedAlerts,
      });
      return c.json({ accepted: batch.length });
    },
  );
  return app;
}
