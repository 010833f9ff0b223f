// The identifiers every edge checks (signature and incident ids, Kubernetes names) as one set of zod schemas, and
// the one mapping from zod's issues to the `details` of a refusal.
import * as z from 'zod';

/**
 * Lower-case kebab-case, 2–80 characters: the rule `PUT /playbooks/{id}` has always stored under, so every stored
 * custom signature passes it, and every catalog id does (9–30 characters, test/domain/identifiers.test.ts). The
 * looser 1–100 some readers used admitted ids no signature could have.
 */
export const SIGNATURE_ID = /^[a-z0-9][a-z0-9-]{1,79}$/;
/** `<fingerprint>-<startsAt>` (incident.ts), and anything a store may hold under that alphabet. */
export const INCIDENT_ID = /^[0-9A-Za-z_.-]{1,200}$/;
/** Kubernetes' rule for namespaces and container names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes' rule for most object names: pods, nodes, workloads, claims. */
export const DNS1123_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const matching = (pattern: RegExp, message: string) => z.string().regex(pattern, message);
export const SignatureIdSchema = matching(
  SIGNATURE_ID,
  'signature ids are lower-case kebab-case, 2-80 characters',
);
export const IncidentIdSchema = matching(
  INCIDENT_ID,
  'incident ids are letters, digits, "_", "." and "-", 1-200 characters',
);
export const NamespaceSchema = matching(DNS1123_LABEL, 'not a Kubernetes namespace name (DNS-1123 label)');
export const ObjectNameSchema = matching(
  DNS1123_SUBDOMAIN,
  'not a Kubernetes object name (DNS-1123 subdomain)',
);
export const InstantSchema = z.iso.datetime({ offset: true });

export interface IssueDetail {
  readonly path: string;
  readonly message: string;
}

/** At most this many issues are reported: a payload wrong everywhere would otherwise make the answer huge. */
export const MAX_ISSUES = 20;

/** zod's issues as the `details` of a 400: where (a dotted path) and what. */
export function issueDetails(error: z.core.$ZodError): IssueDetail[] {
  return error.issues
    .slice(0, MAX_ISSUES)
    .map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Deeply without `readonly`: how a schema's output compares with a domain type declared read-only. */
export type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The names in a table of `[schema, type]` whose schema output and (writable) type are not each assignable to the
 * other; `never` when every pair agrees.
 */
export type Mismatches<T extends Record<string, readonly [z.ZodType, unknown]>> = {
  [K in keyof T]: Same<z.output<T[K][0]>, Writable<T[K][1]>> extends true ? never : K;
}[keyof T];

/** Compiles only for `never`: `SchemasMatch<Mismatches<…>>` fails naming each schema that drifted from its type. */
export type SchemasMatch<M extends never> = M;
