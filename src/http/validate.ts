// Request validation as hono intends: zod schemas run as middleware (@hono/zod-validator for query and path, one of
// ours for JSON bodies), the handler reads the result with c.req.valid(); a refusal is a 400 with zod's issues.
import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler } from 'hono';
import type * as z from 'zod';
import { issueDetails } from '../domain/identifiers.js';
import { HttpError } from './errors.js';
import { readJsonBody } from './json-body.js';

interface Refusal {
  /** The error code of the 400, e.g. `invalid_query`. */
  readonly code: string;
  readonly message: string;
}

/** A failed parse as the JSON 400; hono's validator passes the request on only when this returns. */
const refuseInvalid =
  ({ code, message }: Refusal) =>
  (result: { success: boolean; error?: z.core.$ZodError }) => {
    if (!result.success && result.error) throw new HttpError(400, code, message, issueDetails(result.error));
  };

/** The query string, each parameter once (a repeated one is an array, which the schemas refuse). */
export const validQuery = <S extends z.ZodType>(schema: S, refusal: Refusal) =>
  zValidator('query', schema, refuseInvalid(refusal));

/** The path parameters. */
export const validParams = <S extends z.ZodType>(schema: S, refusal: Refusal) =>
  zValidator('param', schema, refuseInvalid(refusal));

/**
 * A JSON body, read by our own reader rather than hono's: it counts the bytes itself (hono's bodyLimit trusts a
 * Content-Length header), refuses bytes that are not UTF-8, and reads JSON whatever Content-Type says (hono's json
 * validator skips any body not labelled JSON: a proxy that rewrote the header would have the alerts refused).
 */
export function validJson<S extends z.ZodType>(
  schema: S,
  refusal: Refusal & { readonly limit: number; readonly tooLarge: string },
): MiddlewareHandler<
  // biome-ignore lint/suspicious/noExplicitAny: hono's own validators leave the environment open the same way.
  any,
  string,
  { in: { json: z.input<S> }; out: { json: z.output<S> } }
> {
  const refuse = refuseInvalid(refusal);
  return async (c, next) => {
    const result = schema.safeParse(await readJsonBody(c, refusal.limit, refusal.tooLarge));
    refuse(result);
    c.req.addValidatedData('json', result.data as object);
    await next();
  };
}
