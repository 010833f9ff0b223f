// The stand-in's service proxy to a real backend (a real Prometheus), relayed as the API server relays it.

export interface Relayed {
  readonly code: number;
  readonly body: string;
  readonly contentType: string;
}

/** `/api/v1/namespaces/{ns}/services/{name}/proxy/{rest}`: the path after the proxy segment, else undefined. */
export function serviceProxyRest(pathname: string): string | undefined {
  const m = /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy(\/.*)?$/.exec(pathname);
  return m ? (m[1] ?? '/') : undefined;
}

/** Relays a service-proxy request to a real Prometheus, as the API server relays it to the Service's pod. */
export async function forwardToService(
  base: string,
  method: string,
  rest: string,
  search: string,
  body: string,
): Promise<Relayed> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(30_000) };
  if (method === 'POST') {
    init.body = body;
    init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
  }
  try {
    const res = await fetch(`${base.replace(/\/$/, '')}${rest}${search}`, init);
    return {
      code: res.status,
      body: await res.text(),
      contentType: res.headers.get('content-type') ?? 'text/plain',
    };
  } catch (error) {
    return { code: 503, body: `error trying to reach service: ${String(error)}`, contentType: 'text/plain' };
  }
}
