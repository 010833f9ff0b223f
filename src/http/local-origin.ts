// Local mode without tokens: only requests addressed to the bound address, and not sent by a web page, are served.
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './errors.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host values a local client sends for this address: the bound one, and every loopback name when loopback. */
export function localHosts(host: string, port: number): Set<string> {
  const bound = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const names = LOOPBACK_NAMES.includes(bound) || bound === '::1' ? LOOPBACK_NAMES : [bound];
  return new Set(names.map((name) => `${name}:${port}`.toLowerCase()));
}

/**
 * Without tokens any page a browser opens could drive the service: a "simple" cross-site POST (text/plain) needs
 * no preflight, and DNS rebinding makes evil.example resolve to 127.0.0.1 so that even reads pass the same-origin
 * policy. Browsers always send Origin on cross-site POSTs and the page's own name in Host: both are refused. Tools
 * (curl, Alertmanager, `npm run demo`) send neither an Origin nor a foreign Host.
 */
export function localOriginGuard(host: string, port: number): MiddlewareHandler {
  const allowed = localHosts(host, port);
  return async (c, next) => {
    if (c.req.header('origin') !== undefined)
      throw new HttpError(
        403,
        'cross_origin_refused',
        'requests from web pages are refused while WEBHOOK_TOKEN or API_TOKEN is unset',
      );
    const requested = (c.req.header('host') ?? '').toLowerCase();
    if (!allowed.has(requested))
      throw new HttpError(
        403,
        'host_refused',
        `Host must be the bound address (${[...allowed].join(', ')}) while WEBHOOK_TOKEN or API_TOKEN is unset`,
      );
    await next();
  };
}
