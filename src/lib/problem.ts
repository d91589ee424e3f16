import type { Context } from 'hono';
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
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE },
  });
}

export function internalProblem(c: Context): Response {
  return problemResponse(c, new ApiError(500, 'internal', 'Internal error', 'An unexpected error occurred.'));
}
