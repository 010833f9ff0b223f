// Local Kubernetes API stand-in: serves a ScenarioCluster as real core/v1 REST JSON, plus Prometheus via the service proxy.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpAnswer, k8sStatus } from './kubernetes-answers.js';
import { route } from './kubernetes-routes.js';
import type { ScenarioCluster } from './scenario.js';
import { forwardToService, serviceProxyRest } from './service-proxy.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  /** When the request arrived (ms since the epoch, sub-millisecond): what a test measures request rates by. */
  at: number;
}

/** Requests whose raw URL (path and query string as sent) matches answer `status`, wait `delayMs` first, or never answer (`hang`). */
export interface Fault {
  path: RegExp;
  status?: number;
  delayMs?: number;
  hang?: boolean;
  /** How many matching requests the fault applies to; unlimited when absent. */
  times?: number;
}

export interface KubernetesStandIn {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the whole cluster state; `prometheusUrl` (when given) replaces where the service proxy forwards. */
  load(cluster: ScenarioCluster, prometheusUrl?: string): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Stops the server and destroys open sockets, hanging requests included. */
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  if (res.destroyed) return;
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.code, {
    'Content-Type': answer.contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export async function startKubernetesStandIn(
  options: {
    cluster?: ScenarioCluster;
    token?: string;
    port?: number;
    host?: string;
    /** A real Prometheus the service proxy forwards to, instead of answering from the scenario series. */
    prometheusUrl?: string;
  } = {},
): Promise<KubernetesStandIn> {
  let cluster: ScenarioCluster = options.cluster ?? {};
  let prometheusUrl = options.prometheusUrl;
  let faults: { fault: Fault; left: number }[] = [];
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const authorization = req.headers.authorization;
    if (options.token !== undefined && authorization !== `Bearer ${options.token}`) {
      return send(res, k8sStatus(401, 'Unauthorized'));
    }
    const method = req.method ?? 'GET';
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: performance.timeOrigin + performance.now(),
    };
    if (authorization !== undefined) recorded.authorization = authorization;
    requests.push(recorded);
    const body = method === 'POST' ? await readBody(req) : '';

    const active = faults.find((f) => f.left > 0 && rawUrl.search(f.fault.path) >= 0);
    if (active) {
      active.left -= 1;
      if (active.fault.hang) return; // left open until close() destroys the socket
      // unref: a delay still pending at close() must not keep the process alive; send() then skips the dead socket.
      if (active.fault.delayMs)
        await new Promise((resolve) => setTimeout(resolve, active.fault.delayMs).unref());
      if (active.fault.status !== undefined) {
        return send(res, k8sStatus(active.fault.status, `injected fault: HTTP ${active.fault.status}`));
      }
    }
    const proxied = prometheusUrl ? serviceProxyRest(url.pathname) : undefined;
    if (prometheusUrl && proxied !== undefined) {
      const relayed = await forwardToService(prometheusUrl, method, proxied, url.search, body);
      return send(res, new HttpAnswer(relayed.code, relayed.body, relayed.contentType));
    }
    send(res, route(cluster, method, url, body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, err instanceof HttpAnswer ? err : k8sStatus(500, `stand-in error: ${String(err)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    load(next, nextPrometheusUrl) {
      cluster = next;
      prometheusUrl = nextPrometheusUrl ?? options.prometheusUrl;
    },
    addFault(fault) {
      faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults = [];
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
