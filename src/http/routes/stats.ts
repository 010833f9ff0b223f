// GET /stats/signatures: precision from the field, per signature and alert name, over a time window.
import { Hono } from 'hono';
import { fieldStats } from '../../actions/field-stats.js';
import type { IncidentStore } from '../../ports.js';
import { StatsQuerySchema } from '../schemas.js';
import { validQuery } from '../validate.js';

export function statsRoutes(deps: { store: IncidentStore; now: () => Date }): Hono {
  const app = new Hono();
  app.get(
    '/signatures',
    validQuery(StatsQuerySchema, { code: 'invalid_query', message: 'invalid stats window' }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(
        await fieldStats(
          deps.store,
          {
            ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
            ...(q.until ? { until: new Date(q.until).toISOString() } : {}),
          },
          deps.now(),
        ),
      );
    },
  );
  return app;
}
