import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps';

/** One structured line per request: method, path, status, duration and request id. */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const fields = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    const logger = c.get('deps').logger;
    if (status >= 500) logger.error('request', fields);
    else logger.debug('request', fields);
  };
}
