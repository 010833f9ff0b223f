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

export const SignatureIdSchema = z
  .string()
  .regex(SIGNATURE_ID, 'signature ids are lower-case kebab-case, 2-80 characters');
export const IncidentIdSchema = z
  .string()
  .regex(INCIDENT_ID, 'incident ids are letters, digits, "_", "." and "-", 1-200 characters');
export const NamespaceSchema = z
  .string()
  .regex(DNS1123_LABEL, 'not a Kubernetes namespace name (DNS-1123 label)');
export const ObjectNameSchema = z
  .string()
  .regex(DNS1123_SUBDOMAIN, 'not a Kubernetes object name (DNS-1123 subdomain)');
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

/** Compiles only when A is assignable to B; checked both ways, a schema and its type cannot drift apart. */
export type Fits<A extends B, B> = [A, B];
