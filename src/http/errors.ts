// Typed HTTP errors and the one place they become JSON: {"error":{"code","message"}}.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { InvalidCursorError } from '../adapters/dynamo/incident-list.js';
import type { Logger } from '../log.js';
import { DependencyError } from '../ports.js';

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function toErrorResponse(error: unknown, c: Context, log: Logger): Response {
  if (error instanceof HttpError)
    return c.json(errorBody(error.code, error.message, error.details), error.status);
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
