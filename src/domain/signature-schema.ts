// Validation of signatures submitted through /playbooks: shape, known facts, compilable and safe patterns.
import * as z from 'zod';
import { FACT_NAMES, isKnownFact } from './facts.js';
import {
  type IssueDetail,
  issueDetails,
  type Mismatches,
  type SchemasMatch,
  SignatureIdSchema,
} from './identifiers.js';
import { regexHazard } from './regex-safety.js';
import { isShippedPattern as isShipped } from './shipped-patterns.js';
import { SIGNATURE_TARGETS, type Signature } from './signature.js';

/** Every listed fact a condition may name (docs/signature-format.md); `alert.label.*` and `alert.annotation.*` too. */
export const KNOWN_FACTS: ReadonlySet<string> = new Set(FACT_NAMES);

const fact = z.string().refine((f) => KNOWN_FACTS.has(f) || isKnownFact(f), {
  message: 'unknown fact (see docs/signature-format.md)',
});
const orUnknown = { orUnknown: z.boolean().exactOptional() };

/** A pattern runs on every alert's texts: it must compile, and its backtracking must not be able to explode. */
const pattern = z
  .string()
  .min(1)
  .max(500)
  .superRefine((p, ctx) => {
    try {
      new RegExp(p, 'i');
    } catch {
      ctx.addIssue({ code: 'custom', message: 'pattern is not a valid regular expression' });
      return;
    }
    const hazard = isShipped(p) ? undefined : regexHazard(p);
    if (hazard) ctx.addIssue({ code: 'custom', message: `pattern refused: ${hazard}` });
  });

export const ConditionSchema = z.discriminatedUnion('op', [
  z
    .object({
      fact,
      op: z.enum(['eq', 'neq']),
      value: z.union([z.string().max(500), z.number(), z.boolean()]),
      ...orUnknown,
    })
    .strict(),
  z
    .object({
      fact,
      op: z.enum(['in', 'notIn']),
      values: z
        .array(z.union([z.string().max(500), z.number()]))
        .min(1)
        .max(50),
      ...orUnknown,
    })
    .strict(),
  z.object({ fact, op: z.enum(['gte', 'gt', 'lte', 'lt']), value: z.number(), ...orUnknown }).strict(),
  z.object({ fact, op: z.enum(['matches', 'notMatches']), pattern, ...orUnknown }).strict(),
  z.object({ fact, op: z.enum(['exists', 'absent']), ...orUnknown }).strict(),
]);

const template = z.string().min(1).max(2000);
const conditions = z.array(ConditionSchema).max(20);

export const SignatureSchema = z
  .object({
    id: SignatureIdSchema,
    title: z.string().min(1).max(150),
    alerts: z.array(z.string().min(1).max(200)).min(1).max(50).exactOptional(),
    targets: z.array(z.enum(SIGNATURE_TARGETS)).min(1).max(SIGNATURE_TARGETS.length),
    all: conditions,
    any: conditions.exactOptional(),
    none: conditions.exactOptional(),
    support: conditions.exactOptional(),
    ambiguous: z
      .array(
        z
          .object({
            when: conditions.min(1),
            alternative: z.string().min(1).max(500),
            tellApart: template,
          })
          .strict(),
      )
      .max(5)
      .exactOptional(),
    confidence: z.enum(['high', 'medium', 'low']),
    specificity: z.number().int().min(1).max(100),
    mechanism: z.boolean().exactOptional(),
    summary: template,
    remediation: z.array(template).min(1).max(10),
  })
  .strict()
  .refine((s) => s.all.length > 0 || (s.any?.length ?? 0) > 0, {
    message: 'a signature needs at least one decisive condition in all or any',
    path: ['all'],
  });

export function parseSignature(
  input: unknown,
): { ok: true; signature: Signature } | { ok: false; issues: IssueDetail[] } {
  const parsed = SignatureSchema.safeParse(input);
  if (parsed.success) return { ok: true, signature: parsed.data };
  return { ok: false, issues: issueDetails(parsed.error) };
}

/** tsc fails here when the schema and the Signature type stop describing the same thing. */
export type SignatureSchemaMatches = SchemasMatch<
  Mismatches<{ Signature: [typeof SignatureSchema, Signature] }>
>;
