// Each middleware runs once per request: the bearer token of a protected route is read (and compared) once.
import { describe, expect, it } from 'vitest';
import { API_TOKEN, minimalApp } from '../support/minimal-app.js';

/** A request whose Authorization header counts how often it is read: each read is one verification. */
function countingRequest(path: string, method = 'GET'): { request: Request; reads: () => number } {
  const request = new Request(`http://127.0.0.1${path}`, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  let reads = 0;
  const get = request.headers.get.bind(request.headers);
  Object.defineProperty(request.headers, 'get', {
    value: (name: string) => {
      if (name.toLowerCase() === 'authorization') reads += 1;
      return get(name);
    },
  });
  return { request, reads: () => reads };
}

describe('bearer auth is registered once per route', () => {
  it.each([
    ['/incidents'],
    ['/incidents/a76bd1c921158f3a-20261123T084112052Z'],
    ['/playbooks'],
    ['/playbooks/container-oom-killed'],
    ['/stats/signatures'],
    ['/openapi.json'],
  ])('GET %s verifies the token once', async (path) => {
    const { app } = minimalApp();
    const { request, reads } = countingRequest(path);
    const response = await app.fetch(request);
    expect(response.status).not.toBe(401);
    expect(reads()).toBe(1);
  });
});
