import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../deps';
import { PayloadTooLarge } from '../lib/errors';

/**
 * Refuses bodies over `maxSize` bytes. A GET or HEAD has no body to limit, and a declared
 * `Content-Length` is checked from the header alone (as Hono's `bodyLimit` does): only a
 * chunked body goes through Hono's streaming count. Hono's middleware reads `c.req.raw.body`
 * first, which on Node turns the lazy request into a full web `Request` with a stream, on
 * every request; this skips that where the header already answers.
 */
export function bodyLimit(maxSize: number): MiddlewareHandler<AppEnv> {
  const streaming = honoBodyLimit({
    maxSize,
    onError: () => {
      throw new PayloadTooLarge(maxSize);
    },
  });
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > maxSize) throw new PayloadTooLarge(maxSize);
      return next();
    }
    return streaming(c, next);
  };
}
