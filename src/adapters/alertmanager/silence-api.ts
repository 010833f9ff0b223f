// Alertmanager's silences (API v2), at a direct URL or through the API server's service proxy.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { SilenceMatcher } from '../../domain/actions.js';
import { DependencyError, type SilenceApi, unreachable } from '../../ports.js';

interface Answer {
  readonly status: number;
  readonly body: string;
}

type Method = 'GET' | 'POST' | 'DELETE';
type Send = (method: Method, path: string, body?: string) => Promise<Answer>;

/** A silence as `GET /api/v2/silences` lists it (only the fields read here). */
interface ListedSilence {
  readonly id?: unknown;
  readonly status?: { readonly state?: unknown };
  readonly comment?: unknown;
  readonly matchers?: readonly { name?: unknown; value?: unknown; isRegex?: unknown; isEqual?: unknown }[];
}

/** A create or delete answer is a few bytes; a filtered list of silences is bounded but may be longer. */
const ANSWER_LIMIT = { GET: 1024 * 1024, POST: 64 * 1024, DELETE: 64 * 1024 } as const;

function request(
  method: Method,
  url: URL,
  options: https.RequestOptions,
  body: string | undefined,
  timeoutMs: number,
): Promise<Answer> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        ...options,
        method,
        headers: { ...options.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > ANSWER_LIMIT[method])
            req.destroy(new Error(`Alertmanager answer larger than ${ANSWER_LIMIT[method] / 1024} KiB`));
          else chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export class HttpSilenceApi implements SilenceApi {
  constructor(
    private readonly send: Send,
    private readonly where: string,
    private readonly timeoutMs: number,
  ) {}

  private async call(method: Method, path: string, body?: string): Promise<Answer> {
    let answer: Answer;
    try {
      answer = await this.send(method, path, body);
    } catch (error) {
      throw unreachable('alertmanager', `Alertmanager (${this.where})`, error, this.timeoutMs);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const hint =
        answer.status === 403
          ? ' (through the service proxy a silence needs `create` (and `get` to find its own), an unsilence `delete`, on `services/proxy` in its namespace)'
          : '';
      throw new DependencyError(
        'alertmanager',
        `http_${answer.status}`,
        `Alertmanager (${this.where}) answered HTTP ${answer.status}: ${answer.body.slice(0, 160).trim()}${hint}`,
      );
    }
    return answer;
  }

  async create(silence: Parameters<SilenceApi['create']>[0]): Promise<string> {
    const answer = await this.call('POST', '/api/v2/silences', JSON.stringify(silence));
    let id: unknown;
    try {
      id = (JSON.parse(answer.body) as { silenceID?: unknown }).silenceID;
    } catch {
      id = undefined;
    }
    if (typeof id !== 'string' || !/^[0-9A-Za-z-]{1,64}$/.test(id))
      throw new DependencyError(
        'alertmanager',
        'bad_answer',
        `Alertmanager (${this.where}) gave no silence id`,
      );
    return id;
  }

  async findActive(matchers: readonly SilenceMatcher[], commentPrefix: string): Promise<string | undefined> {
    // Alertmanager narrows the list by label matchers; the exact matcher set and the comment are checked here.
    const filters = matchers.map(
      (m) => `filter=${encodeURIComponent(`${m.name}=${JSON.stringify(m.value)}`)}`,
    );
    const answer = await this.call('GET', `/api/v2/silences?${filters.join('&')}`);
    let listed: unknown;
    try {
      listed = JSON.parse(answer.body);
    } catch {
      throw new DependencyError(
        'alertmanager',
        'bad_answer',
        `Alertmanager (${this.where}) listed no silences`,
      );
    }
    if (!Array.isArray(listed)) return undefined;
    const wanted = matchers
      .map((m) => `${m.name}=${m.value}`)
      .sort()
      .join('\n');
    const own = (listed as ListedSilence[]).find(
      (s) =>
        (s.status?.state === 'active' || s.status?.state === 'pending') &&
        typeof s.comment === 'string' &&
        s.comment.startsWith(commentPrefix) &&
        (s.matchers ?? [])
          .map((m) => (m.isRegex === false && m.isEqual !== false ? `${m.name}=${m.value}` : '~'))
          .sort()
          .join('\n') === wanted,
    );
    return typeof own?.id === 'string' && /^[0-9A-Za-z-]{1,64}$/.test(own.id) ? own.id : undefined;
  }

  async expire(id: string): Promise<void> {
    await this.call('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
  }
}

export function directSilenceApi(url: string, timeoutMs: number): SilenceApi {
  const base = url.replace(/\/$/, '');
  return new HttpSilenceApi(
    (method, path, body) => request(method, new URL(`${base}${path}`), {}, body, timeoutMs),
    base,
    timeoutMs,
  );
}

/**
 * Through `/api/v1/namespaces/{ns}/services/{svc}/proxy/`: RBAC sees the GET as `get`, the POST as `create` and the
 * DELETE as `delete` on `services/proxy`.
 */
export function serviceProxySilenceApi(
  kc: KubeConfig,
  namespace: string,
  service: string,
  timeoutMs: number,
): SilenceApi {
  const server = kc.getCurrentCluster()?.server.replace(/\/$/, '') ?? '';
  const base = `${server}/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/proxy`;
  return new HttpSilenceApi(
    async (method, path, body) => {
      const options: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      return request(method, new URL(`${base}${path}`), options, body, timeoutMs);
    },
    `service ${namespace}/${service}`,
    timeoutMs,
  );
}
