// HTTP errors are hono's HTTPException (with a code and details of ours); the one place any error becomes JSON:
// {"error":{"code","message","details"?}}.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../log.js';
import { DependencyError, InvalidCursorError } from '../ports.js';

/** A refusal with the service's own error code; any other HTTPException (hono's middleware) gets one by status. */
export class HttpError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(status, { message });
    this.name = 'HttpError';
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** The codes hono's own exceptions get: the same words this service uses for the same refusals. */
const CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** The code and headers of an HTTPException: hono's carry a prepared response (bearerAuth's WWW-Authenticate). */
function fromHttpException(error: HTTPException, c: Context): Response {
  const code = error instanceof HttpError ? error.code : (CODES[error.status] ?? `http_${error.status}`);
  const message = error.message || (error.res?.statusText ?? '') || code.replaceAll('_', ' ');
  const details = error instanceof HttpError ? error.details : undefined;
  const response = c.json(errorBody(code, message, details), error.status);
  error.res?.headers.forEach((value, name) => {
    if (name !== 'content-type' && name !== 'content-length') response.headers.set(name, value);
  });
  return response;
}

export function toErrorResponse(error: unknown, c: Context, log: Logger): Response {
  if (error instanceof HTTPException) {
    if (error.status >= 500) log.error('request failed', { path: c.req.path, status: error.status, error });
    return fromHttpException(error, c);
  }
  if (error instanceof InvalidCursorError) return c.json(errorBody('invalid_cursor', error.message), 400);
  if (error instanceof DependencyError) {
    log.error('dependency failed while answering', {
      path: c.req.path,
      dependency: error.dependency,
      code: error.code,
      error,
    });
    return c.json(errorBody('dependency_unavailable', `${error.dependency} is unavailable; try again`), 503);
  }
  log.error('unhandled error', { path: c.req.path, error });
  return c.json(errorBody('internal', 'internal error'), 500);
}
