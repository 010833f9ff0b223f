// The shapes the HTTP routes validate and answer with: one definition for the validators (validate.ts) and for the
// OpenAPI document (openapi.ts), so the document cannot describe a request the routes would refuse.
import * as z from 'zod';
import {
  IncidentIdSchema,
  InstantSchema,
  type Mismatches,
  NamespaceSchema,
  ObjectNameSchema,
  type SchemasMatch,
  SignatureIdSchema,
} from '../domain/identifiers.js';
import { IncidentSchema } from '../domain/incident-schema.js';
import type { PlaybookItem } from '../domain/playbook.js';
import { SignatureSchema } from '../domain/signature-schema.js';
import type { SignatureStats } from '../domain/verdict-stats.js';
import type { IncidentPage } from '../ports.js';

/** Offsets differ (`+02:00`, `Z`): the instants are compared, not their spellings. */
const ordered = (q: { since?: string | undefined; until?: string | undefined }) =>
  !q.since || !q.until || Date.parse(q.since) <= Date.parse(q.until);
const SINCE_BEFORE_UNTIL = { message: 'since must not be after until' };

export const IncidentQuerySchema = z
  .strictObject({
    status: z.enum(['firing', 'resolved']).optional(),
    namespace: NamespaceSchema.optional(),
    node: ObjectNameSchema.optional(),
    alertname: z.string().min(1).max(253).optional(),
    signature: SignatureIdSchema.optional(),
    acknowledged: z.enum(['true', 'false']).optional(),
    since: InstantSchema.optional(),
    until: InstantSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(4096).optional(),
  })
  .refine(ordered, SINCE_BEFORE_UNTIL);

export const StatsQuerySchema = z
  .strictObject({ since: InstantSchema.optional(), until: InstantSchema.optional() })
  .refine(ordered, SINCE_BEFORE_UNTIL);

export const IncidentIdParams = z.object({ id: IncidentIdSchema });
export const SignatureIdParams = z.object({ id: SignatureIdSchema });
export const PlaybookDeleteQuery = z.object({
  restore: z.enum(['true', 'false']).optional().describe('true: a built-in gets its shipped version back'),
});

export const ErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional().describe('for invalid input: [{path, message}], at most 20'),
  }),
});

export const HealthSchema = z.strictObject({ ok: z.literal(true) });
export const AcceptedSchema = z.strictObject({
  accepted: z.number().int(),
  ignored: z.number().int().optional().describe('alerts never triaged (IGNORED_ALERTS, severity none)'),
});
export const IncidentPageSchema = z.strictObject({
  items: z.array(IncidentSchema),
  nextCursor: z.string().nullable(),
});
export const PlaybookItemSchema = z.strictObject({
  id: SignatureIdSchema,
  source: z.enum(['built-in', 'override', 'custom']),
  enabled: z.boolean(),
  signature: SignatureSchema,
  updatedAt: InstantSchema.exactOptional(),
});
export const PlaybookSchema = z.strictObject({ items: z.array(PlaybookItemSchema) });
export const PlaybookDeletedSchema = z.strictObject({ id: SignatureIdSchema, deleted: z.literal(true) });
const VerdictCountSchema = z.strictObject({
  key: z.string(),
  incidents: z.number().int(),
  right: z.number().int(),
  wrong: z.number().int(),
  precision: z.number().nullable(),
});
export const SignatureStatsSchema = z.strictObject({
  since: InstantSchema,
  until: InstantSchema,
  incidents: z.number().int(),
  bySignature: z.array(VerdictCountSchema),
  byAlertname: z.array(VerdictCountSchema),
  partial: z.boolean(),
});

/** tsc fails here, naming the answer, when its schema and the type the route returns stop describing the same thing. */
export type AnswerSchemasMatch = SchemasMatch<
  Mismatches<{
    IncidentPage: [typeof IncidentPageSchema, IncidentPage];
    PlaybookItem: [typeof PlaybookItemSchema, PlaybookItem];
    SignatureStats: [typeof SignatureStatsSchema, SignatureStats];
  }>
>;
