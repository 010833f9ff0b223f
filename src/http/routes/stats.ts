// GET /stats/signatures: precision from the field, per signature and alert name, over a time window.
import { Hono } from 'hono';
import { z } from 'zod';
import { fieldStats } from '../../actions/field-stats.js';
import type { IncidentStore } from '../../ports.js';
import { HttpError } from '../errors.js';

const instant = z.iso.datetime({ offset: true });

export const StatsQuerySchema = z
  .object({ since: instant.optional(), until: instant.optional() })
  .strict()
  .refine((q) => !q.since || !q.until || q.since <= q.until, { message: 'since must not be after until' });

export function statsRoutes(deps: { store: IncidentStore; now: () => Date }): Hono {
  const app = new Hono();
  app.get('/signatures', async (c) => {
    const parsed = StatsQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new HttpError(400, 'invalid_query', 'invalid stats window', details);
    }
    const q = parsed.data;
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
  });
  return app;
}
