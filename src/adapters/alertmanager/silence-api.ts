// Alertmanager's silences (API v2), at a direct URL or through the API server's service proxy.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { DependencyError, type SilenceApi, unreachable } from '../../ports.js';

interface Answer {
  readonly status: number;
  readonly body: string;
}

type Send = (method: 'POST' | 'DELETE', path: string, body?: string) => Promise<Answer>;

function request(
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
        headers: { ...options.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // A silence answer is a few bytes; anything large is not Alertmanager.
          if (size > 64 * 1024) req.destroy(new Error('Alertmanager answer larger than 64 KiB'));
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

  private async call(method: 'POST' | 'DELETE', path: string, body?: string): Promise<Answer> {
    let answer: Answer;
    try {
      answer = await this.send(method, path, body);
    } catch (error) {
      throw unreachable('alertmanager', `Alertmanager (${this.where})`, error, this.timeoutMs);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const hint =
        answer.status === 403
          ? ' (through the service proxy a silence needs `create`, an unsilence `delete`, on `services/proxy` in its namespace)'
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

  async expire(id: string): Promise<void> {
    await this.call('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
  }
}

export function directSilenceApi(url: string, timeoutMs: number): SilenceApi {
  const base = url.replace(/\/$/, '');
  return new HttpSilenceApi(
    (method, path, body) => request(new URL(`${base}${path}`), { method }, body, timeoutMs),
    base,
    timeoutMs,
  );
}

/**
 * Through `/api/v1/namespaces/{ns}/services/{svc}/proxy/`: RBAC sees the POST as `create` and the DELETE as `delete`
 * on `services/proxy`.
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
      const options: https.RequestOptions = { method };
      await kc.applyToHTTPSOptions(options);
      return request(new URL(`${base}${path}`), options, body, timeoutMs);
    },
    `service ${namespace}/${service}`,
    timeoutMs,
  );
}
