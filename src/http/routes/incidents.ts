// GET /incidents and /incidents/{id}: the incident history, filtered and paged through the store's indexes.
import { Hono } from 'hono';
import { z } from 'zod';
import type { IncidentStore } from '../../ports.js';
import { HttpError } from '../errors.js';

const name = z.string().min(1).max(253);
const instant = z.iso.datetime({ offset: true });

export const IncidentQuerySchema = z
  .object({
    status: z.enum(['firing', 'resolved']).optional(),
    namespace: name.optional(),
    node: name.optional(),
    alertname: name.optional(),
    signature: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'signature ids are lower-case kebab-case')
      .optional(),
    acknowledged: z.enum(['true', 'false']).optional(),
    since: instant.optional(),
    until: instant.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .refine((q) => !q.since || !q.until || q.since <= q.until, { message: 'since must not be after until' });

export function incidentRoutes(deps: { store: IncidentStore }): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const parsed = IncidentQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new HttpError(400, 'invalid_query', 'invalid incident filters', details);
    }
    const q = parsed.data;
    const page = await deps.store.list({
      limit: q.limit,
      ...(q.status ? { status: q.status } : {}),
      ...(q.namespace ? { namespace: q.namespace } : {}),
      ...(q.node ? { node: q.node } : {}),
      ...(q.alertname ? { alertname: q.alertname } : {}),
      ...(q.signature ? { signature: q.signature } : {}),
      ...(q.acknowledged ? { acknowledged: q.acknowledged === 'true' } : {}),
      ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
      ...(q.until ? { until: new Date(q.until).toISOString() } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return c.json(page);
  });
  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^[0-9A-Za-z_.-]{1,200}$/.test(id))
      throw new HttpError(400, 'invalid_id', 'incident ids are alphanumeric');
    const incident = await deps.store.get(id);
    if (!incident) throw new HttpError(404, 'not_found', `no incident ${id}`);
    return c.json(incident);
  });
  return app;
}
