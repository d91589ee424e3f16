import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, Deps } from '../deps';
import type { KeyResolver } from '../modules/api-keys/authenticate';

const REQUEST_ID_HEADER = 'X-Request-Id';
const REQUEST_ID_MAX_LENGTH = 200;
const UNSAFE_REQUEST_ID = /[^\w\-=]/;

/**
 * The first middleware of every request, in one layer rather than three (each layer is an
 * async dispatch per request): the request id (the caller's `X-Request-Id` when it is short
 * and plain, else a fresh UUID; echoed back), the context variables every handler reads, and
 * one structured log line with method, path, status, duration and request id.
 */
export function requestContext(deps: Deps, keys: KeyResolver): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let id = c.req.header(REQUEST_ID_HEADER);
    if (!id || id.length > REQUEST_ID_MAX_LENGTH || UNSAFE_REQUEST_ID.test(id)) id = crypto.randomUUID();
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);

    const db = c.env?.db ?? deps.db;
    if (!db) throw new Error('No database: pass deps.db or a per-request `db` binding');
    c.set('deps', deps);
    c.set('db', db);
    c.set('keys', keys);
    c.set('principal', undefined);
    c.set('customerId', undefined);

    const started = performance.now();
    await next();
    logRequest(c, deps, started);
  };
}

function logRequest(c: Context<AppEnv>, deps: Deps, started: number) {
  const status = c.res.status;
  const fields = {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    status,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
  if (status >= 500) deps.logger.error('request', fields);
  else deps.logger.debug('request', fields);
}
