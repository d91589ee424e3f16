import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { AppEnv, Deps } from './deps';
import { pgErrorCode } from './lib/db';
import { ApiError, MalformedRequest, NotFound, PayloadTooLarge, ServiceUnavailable } from './lib/errors';
import { registerSecuritySchemes } from './lib/openapi';
import { internalProblem, problemResponse } from './lib/problem';
import { resolvePrincipal } from './middleware/auth';
import { cors } from './middleware/cors';
import { idempotency } from './middleware/idempotency';
import { rateLimitByKey } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';
import { KeyResolver } from './modules/api-keys/authenticate';
import { apiKeyRoutes } from './modules/api-keys/routes';
import { customerRoutes } from './modules/customers/routes';
import { earningRoutes } from './modules/earning/routes';
import { jobRoutes } from './modules/jobs/routes';
import { ledgerRoutes } from './modules/ledger/routes';
import { merchantRoutes } from './modules/merchants/routes';
import { ruleRoutes } from './modules/rules/routes';
import { systemRoutes } from './modules/system/routes';
import { tierRoutes } from './modules/tiers/routes';

export const API_VERSION = '0.1.0';

/** The one Hono app. Runtime-agnostic: everything it touches comes in through `deps`. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  const keys = new KeyResolver(deps.config.secret, deps.config.keyCacheTtlMs);

  app.use(requestId({ limitLength: 200 }));
  app.use(async (c, next) => {
    const db = c.env?.db ?? deps.db;
    if (!db) throw new Error('No database: pass deps.db or a per-request `db` binding');
    c.set('deps', deps);
    c.set('db', db);
    c.set('keys', keys);
    c.set('principal', undefined);
    c.set('customerId', undefined);
    await next();
  });
  app.use(requestLog());
  app.use('/v1/*', cors());
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: deps.config.maxBodyBytes,
      onError: () => {
        throw new PayloadTooLarge(deps.config.maxBodyBytes);
      },
    }),
  );
  app.use('/v1/*', resolvePrincipal(keys));
  app.use('/v1/*', rateLimitByKey());
  app.use('/v1/*', idempotency());

  app.route('/', systemRoutes());
  app.route('/', merchantRoutes());
  app.route('/', apiKeyRoutes());
  app.route('/', customerRoutes());
  app.route('/', ruleRoutes());
  app.route('/', ledgerRoutes());
  app.route('/', earningRoutes());
  app.route('/', tierRoutes());
  app.route('/', jobRoutes());

  registerSecuritySchemes(app.openAPIRegistry);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Plaudit API',
      version: API_VERSION,
      description:
        'Headless referral and loyalty rewards engine. Errors are RFC 9457 problem+json; every POST accepts `Idempotency-Key`.',
    },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Plaudit API reference' }));

  app.notFound((c) => problemResponse(c, new NotFound('route')));
  app.onError((error, c) => {
    if (error instanceof ApiError) return problemResponse(c, error);
    if (error instanceof HTTPException) {
      if (error.status === 413) return problemResponse(c, new PayloadTooLarge(deps.config.maxBodyBytes));
      if (error.status === 400) return problemResponse(c, new MalformedRequest(error.message));
      return problemResponse(c, new ApiError(error.status, 'http-error', error.message || 'HTTP error'));
    }
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn('database unavailable', { requestId: c.var.requestId, error: String(error) });
      return problemResponse(c, new ServiceUnavailable());
    }
    deps.logger.error('unhandled error', {
      requestId: c.var.requestId,
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    return internalProblem(c);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08006',
  '08001',
  '08003',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 3 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  const code = pgErrorCode(error);
  return code !== undefined && UNAVAILABLE.has(code);
}
