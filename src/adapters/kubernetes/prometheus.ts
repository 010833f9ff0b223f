// Prometheus instant queries, through the API server's service proxy or a direct URL.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { MetricValues } from '../../domain/context.js';
import type { MetricQuery } from '../../domain/metric-queries.js';
import { DependencyError, unreachable } from '../../ports.js';

export interface PrometheusClient {
  instantQueries(queries: readonly MetricQuery[]): Promise<MetricValues>;
}

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

type Getter = (pathAndQuery: string) => Promise<RawAnswer>;

/** A GET with a deadline and a 4 MiB cap, for the API server paths client-node cannot express (proxies). */
export function get(url: URL, options: https.RequestOptions, timeoutMs: number): Promise<RawAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      { ...options, method: 'GET', signal: AbortSignal.timeout(timeoutMs) },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 4 * 1024 * 1024) request.destroy(new Error('Prometheus answer larger than 4 MiB'));
          else chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** Through `/api/v1/namespaces/{ns}/services/{svc}/proxy/`, authenticated like every other cluster call. */
export function serviceProxyPrometheus(
  kc: KubeConfig,
  namespace: string,
  service: string,
  timeoutMs: number,
): PrometheusClient {
  const server = kc.getCurrentCluster()?.server.replace(/\/$/, '') ?? '';
  const base = `${server}/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/proxy`;
  return new HttpPrometheus(
    async (pathAndQuery) => {
      const options: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      return get(new URL(`${base}${pathAndQuery}`), options, timeoutMs);
    },
    timeoutMs,
    `service ${namespace}/${service}`,
  );
}

export function directPrometheus(url: string, timeoutMs: number): PrometheusClient {
  const base = url.replace(/\/$/, '');
  return new HttpPrometheus(
    (pathAndQuery) => get(new URL(`${base}${pathAndQuery}`), {}, timeoutMs),
    timeoutMs,
    base,
  );
}

interface Sample {
  metric?: Record<string, string>;
  value?: [number, string];
}

interface VectorAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: Sample[] };
}

/** The label that tells the answers of a combined query apart. */
const KEY_LABEL = 'triage_key';

class HttpPrometheus implements PrometheusClient {
  constructor(
    private readonly fetchRaw: Getter,
    private readonly timeoutMs: number,
    private readonly where: string,
  ) {}

  /**
   * All queries in one request: each is tagged with label_replace and the results joined with `or`, so one
   * triage costs one Prometheus call. If Prometheus rejects the union, the queries go one by one.
   */
  async instantQueries(queries: readonly MetricQuery[]): Promise<MetricValues> {
    if (queries.length === 0) return {};
    const union = queries
      .map((q) => `label_replace(${q.promql}, "${KEY_LABEL}", "${q.key}", "", "")`)
      .join(' or ');
    const answer = await this.request(union);
    if (answer !== 'rejected') {
      const values: Record<string, number | null> = Object.fromEntries(queries.map((q) => [q.key, null]));
      for (const sample of answer) {
        const key = sample.metric?.[KEY_LABEL];
        const value = Number(sample.value?.[1]);
        if (key && key in values && Number.isFinite(value)) values[key] = value;
      }
      return values;
    }
    const each = await Promise.all(queries.map((q) => this.request(q.promql)));
    return Object.fromEntries(
      queries.map((q, i) => {
        const result = each[i];
        const value =
          result === 'rejected' || result === undefined ? Number.NaN : Number(result[0]?.value?.[1]);
        return [q.key, Number.isFinite(value) ? value : null];
      }),
    );
  }

  /** The vector answer, or 'rejected' when Prometheus refused this query (400/422). */
  private async request(promql: string): Promise<Sample[] | 'rejected'> {
    let answer: RawAnswer;
    try {
      answer = await this.fetchRaw(`/api/v1/query?query=${encodeURIComponent(promql)}`);
    } catch (error) {
      throw unreachable('prometheus', `Prometheus (${this.where})`, error, this.timeoutMs);
    }
    if (answer.status === 400 || answer.status === 422) return 'rejected';
    if (answer.status < 200 || answer.status >= 300) {
      throw new DependencyError(
        'prometheus',
        `http_${answer.status}`,
        `Prometheus (${this.where}): HTTP ${answer.status} ${answer.body.slice(0, 160).trim()}`,
      );
    }
    let parsed: VectorAnswer;
    try {
      parsed = JSON.parse(answer.body) as VectorAnswer;
    } catch {
      throw new DependencyError('prometheus', 'bad_answer', `Prometheus (${this.where}): answer is not JSON`);
    }
    return parsed.status === 'success' ? (parsed.data?.result ?? []) : 'rejected';
  }
}
