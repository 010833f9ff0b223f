// Per-invocation log context of a Lambda function: request id, cold start and X-Ray trace id on every line it logs.
import type { Context } from 'aws-lambda';
import { type Logger, withLogContext } from '../log.js';

export type Invoke = <T>(
  context: Partial<Context> | undefined,
  run: (log: Logger) => Promise<T>,
) => Promise<T>;

/** The trace's Root from `Root=1-…;Parent=…;Sampled=1`, the id X-Ray's console searches by. */
function traceId(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return /(?:^|;)\s*Root=([^;]{1,100})/.exec(header)?.[1] ?? header.slice(0, 200);
}

/**
 * One per function module: the first invocation it serves is the cold start. Lambda sets `_X_AMZN_TRACE_ID` per
 * invocation, so it is read at each one.
 */
export function invocationScope(log: Logger): Invoke {
  let coldStart = true;
  return (context, run) => {
    const trace = traceId(process.env._X_AMZN_TRACE_ID);
    const fields: Record<string, unknown> = {
      ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}),
      coldStart,
      ...(trace ? { traceId: trace } : {}),
    };
    coldStart = false;
    return withLogContext(fields, () => run(log.child(fields)));
  };
}
