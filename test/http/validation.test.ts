// Requests are validated by the routes' zod schemas: refusals are 400s with zod's issues as details.
import { describe, expect, it } from 'vitest';
import { API_TOKEN, minimalApp } from '../support/minimal-app.js';

const get = (path: string) =>
  minimalApp().app.request(path, { headers: { authorization: `Bearer ${API_TOKEN}` } });

async function refusal(response: Response) {
  expect(response.status).toBe(400);
  return (await response.json()) as {
    error: { code: string; details?: { path: string; message: string }[] };
  };
}

describe('query and path validation', () => {
  it('names the offending parameter in details', async () => {
    const body = await refusal(await get('/incidents?limit=0&status=open'));
    expect(body.error.code).toBe('invalid_query');
    expect(body.error.details?.map((d) => d.path).sort()).toEqual(['limit', 'status']);
  });

  it('applies one signature-id rule to the filter and the playbook path', async () => {
    expect((await refusal(await get('/incidents?signature=a'))).error.code).toBe('invalid_query');
    expect((await refusal(await get('/playbooks/a'))).error.code).toBe('invalid_id');
    expect((await get('/incidents?signature=container-oom-killed')).status).toBe(200);
  });

  it('refuses an incident id outside the id alphabet', async () => {
    expect((await refusal(await get('/incidents/a%20b'))).error.code).toBe('invalid_id');
  });

  it('compares since and until as instants, whatever their offsets', async () => {
    // 10:00+02:00 is 08:00Z, an hour before until: a valid window although its text sorts after.
    const since = encodeURIComponent('2026-01-01T10:00:00+02:00');
    expect((await get(`/stats/signatures?since=${since}&until=2026-01-01T09:00:00Z`)).status).toBe(200);
    expect((await get(`/incidents?since=${since}&until=2026-01-01T09:00:00Z`)).status).toBe(200);
    const late = encodeURIComponent('2026-01-01T10:00:00-02:00');
    expect(
      (await refusal(await get(`/stats/signatures?since=${late}&until=2026-01-01T09:00:00Z`))).error.code,
    ).toBe('invalid_query');
  });
});
