import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from './errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Renders an ApiError as RFC 9457 problem+json. The one place error bodies are made. */
export function problemResponse(c: Context, error: ApiError): Response {
  const body = {
    type: `/problems/${error.type}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: new URL(c.req.url).pathname,
    requestId: c.get('requestId') as string | undefined,
    ...error.extra,
  };
  // Through the context, so headers set before the error (X-Request-Id, RateLimit-*, Retry-After) are kept.
  return c.newResponse(JSON.stringify(body), error.status as ContentfulStatusCode, {
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}

export function internalProblem(c: Context): Response {
  return problemResponse(c, new ApiError(500, 'internal', 'Internal error', 'An unexpected error occurred.'));
}
