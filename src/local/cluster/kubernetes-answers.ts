// The Kubernetes stand-in's answers: an HTTP answer, the API server's Status errors, and object field selection.
import { STATUS_CODES } from 'node:http';

export type Json = Record<string, unknown>;

export class HttpAnswer {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
  ) {}
}

export function k8sStatus(code: number, message: string, details?: Json): HttpAnswer {
  const reason = (
    code === 500 ? 'InternalError' : code === 504 ? 'Timeout' : (STATUS_CODES[code] ?? 'Unknown')
  ).replaceAll(' ', '');
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  return new HttpAnswer(code, details ? { ...body, details, code } : { ...body, code });
}

export const notFound = (kind: string, name: string) =>
  k8sStatus(404, `${kind} "${name}" not found`, { name, kind });

export function field(obj: unknown, path: string): unknown {
  let current = obj;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[key];
  }
  return current;
}

export function fieldText(obj: unknown, path: string): string {
  const value = field(obj, path);
  return value === undefined || value === null ? '' : String(value);
}

/** Parses `a=b,c!=d` (field or label selector) into predicates; throws on unsupported terms. */
export function selector(text: string, allowed: RegExp | null, read: (o: Json, k: string) => string) {
  const terms = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
      const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (!m?.[1] || !m[2] || m[3] === undefined) throw k8sStatus(400, `invalid selector: '${term}'`);
      if (allowed && !allowed.test(m[1])) throw k8sStatus(400, `field label not supported: ${m[1]}`);
      return { key: m[1], negate: m[2] === '!=', value: m[3] };
    });
  return (o: Json) => terms.every((t) => (read(o, t.key) === t.value) !== t.negate);
}

export const named = (o: Json, name: string, ns?: string) =>
  fieldText(o, 'metadata.name') === name && (ns === undefined || fieldText(o, 'metadata.namespace') === ns);

export const NO_ROUTE = k8sStatus(404, 'the server could not find the requested resource', {});
