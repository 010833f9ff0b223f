// GET /incidents and /incidents/{id}: the incident history, filtered and paged through the store's indexes.
import { Hono } from 'hono';
import type { IncidentStore } from '../../ports.js';
import { HttpError } from '../errors.js';
import { IncidentIdParams, IncidentQuerySchema } from '../schemas.js';
import { validParams, validQuery } from '../validate.js';

export const INVALID_FILTERS = { code: 'invalid_query', message: 'invalid incident filters' };
export const INVALID_INCIDENT_ID = { code: 'invalid_id', message: 'incident ids are alphanumeric' };

export function incidentRoutes(deps: { store: IncidentStore }): Hono {
  const app = new Hono();
  app.get('/', validQuery(IncidentQuerySchema, INVALID_FILTERS), async (c) => {
    const q = c.req.valid('query');
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
  app.get('/:id', validParams(IncidentIdParams, INVALID_INCIDENT_ID), async (c) => {
    const { id } = c.req.valid('param');
    const incident = await deps.store.get(id);
    if (!incident) throw new HttpError(404, 'not_found', `no incident ${id}`);
    return c.json(incident);
  });
  return app;
}
