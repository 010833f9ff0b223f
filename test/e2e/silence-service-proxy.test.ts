// Silences through the API server's service proxy: the path, the bearer token and the verbs RBAC sees, against the
// real Alertmanager behind a loopback stand-in of the API server's proxy.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceProxySilenceApi } from '../../src/adapters/alertmanager/silence-api.js';
import { kubeConfigFor } from '../../src/adapters/kubernetes/cluster-inspector.js';
import { DependencyError } from '../../src/ports.js';
import { alertmanagerBinary, type RunningAlertmanager, startAlertmanager } from '../support/alertmanager.js';

const TOKEN = 'cluster-proxy-token-0123456789';
const PREFIX = '/api/v1/namespaces/monitoring/services/alertmanager-main:9093/proxy';

let alertmanager: RunningAlertmanager | undefined;
let server: Server | undefined;

afterEach(async () => {
  await alertmanager?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const read = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** Forwards `{PREFIX}/…` to Alertmanager when the token is right and the RBAC verb is in `allowed`, like the API server. */
async function apiServer(target: string, allowed: Set<string>, seen: string[]): Promise<string> {
  server = createServer(async (request, response) => {
    // The API server decodes the path: `alertmanager-main%3A9093` names the same service and port.
    const parsed = new URL(request.url ?? '/', 'http://x');
    const url = { pathname: decodeURIComponent(parsed.pathname), search: parsed.search };
    const verb = { POST: 'create', DELETE: 'delete', GET: 'get' }[request.method ?? ''] ?? 'other';
    seen.push(`${verb} ${url.pathname}`);
    const body = await read(request);
    if (request.headers.authorization !== `Bearer ${TOKEN}`)
      return response.writeHead(401).end('Unauthorized');
    if (!url.pathname.startsWith(`${PREFIX}/`)) return response.writeHead(404).end('not found');
    if (!allowed.has(verb))
      return response
        .writeHead(403, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: `cannot ${verb} services/proxy` }),
        );
    const answer = await fetch(`${target}${url.pathname.slice(PREFIX.length)}${url.search}`, {
      method: request.method ?? 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body } : {}),
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

const silence = () => ({
  matchers: [
    { name: 'alertname', value: 'KubePodCrashLooping', isRegex: false as const, isEqual: true as const },
  ],
  startsAt: new Date().toISOString(),
  endsAt: new Date(Date.now() + 3600_000).toISOString(),
  createdBy: 'oncall.jane (Slack U0ONCALL01) via alert-triage',
  comment: 'test',
});

describe.skipIf(!alertmanagerBinary() && !process.env.CI)('silences through the service proxy', () => {
  it('creates with create and expires with delete on services/proxy, with the cluster token', async () => {
    alertmanager = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/alertmanager' });
    const seen: string[] = [];
    const url = await apiServer(alertmanager.url, new Set(['create', 'delete']), seen);
    const api = serviceProxySilenceApi(
      kubeConfigFor({ mode: 'proxy', url, token: TOKEN }),
      'monitoring',
      'alertmanager-main:9093',
      5000,
    );
    const id = await api.create(silence());
    const listed = (await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as {
      id: string;
      status: { state: string };
    }[];
    expect(listed.find((s) => s.id === id)?.status.state).toBe('active');
    await api.expire(id);
    const after = (await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()) as {
      id: string;
      status: { state: string };
    }[];
    expect(after.find((s) => s.id === id)?.status.state).toBe('expired');
    expect(seen).toEqual([`create ${PREFIX}/api/v2/silences`, `delete ${PREFIX}/api/v2/silence/${id}`]);
  });

  it('without the Role the failure names the permission to grant, and nothing is silenced', async () => {
    alertmanager = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/alertmanager' });
    const url = await apiServer(alertmanager.url, new Set(), []);
    const api = serviceProxySilenceApi(
      kubeConfigFor({ mode: 'proxy', url, token: TOKEN }),
      'monitoring',
      'alertmanager-main:9093',
      5000,
    );
    const failure = await api.create(silence()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    expect((failure as DependencyError).message).toMatch(/HTTP 403.*`create`.*`services\/proxy`/);
    expect(await (await fetch(`${alertmanager.url}/api/v2/silences`)).json()).toEqual([]);
  });

  it('finds its own silence with get, by exact matchers and comment prefix; without get the lookup fails loudly', async () => {
    alertmanager = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/alertmanager' });
    const seen: string[] = [];
    const allowed = new Set(['get', 'create']);
    const url = await apiServer(alertmanager.url, allowed, seen);
    const api = serviceProxySilenceApi(
      kubeConfigFor({ mode: 'proxy', url, token: TOKEN }),
      'monitoring',
      'alertmanager-main:9093',
      5000,
    );
    const { matchers } = silence();
    const wider = await api.create({ ...silence(), comment: 'alert-triage incident inc-1: wider' });
    const own = await api.create({
      ...silence(),
      matchers: [...matchers, { name: 'pod', value: 'api-0', isRegex: false, isEqual: true }],
      comment: 'alert-triage incident inc-1: KubePodCrashLooping on pod',
    });
    const exact = [
      ...matchers,
      { name: 'pod', value: 'api-0', isRegex: false as const, isEqual: true as const },
    ];
    expect(await api.findActive(exact, 'alert-triage incident inc-1:')).toBe(own);
    expect(await api.findActive(exact, 'alert-triage incident inc-2:')).toBeUndefined();
    expect(await api.findActive(matchers, 'alert-triage incident inc-1:')).toBe(wider);
    expect(seen.filter((s) => s.startsWith('get '))).toHaveLength(3);

    allowed.delete('get');
    const failure = await api.findActive(exact, 'alert-triage incident inc-1:').catch((e: unknown) => e);
    expect((failure as DependencyError).message).toMatch(/HTTP 403.*`get`/);
  });
});
