import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { HTTPException } from 'hono/http-exception';
import { dashboardRoutes } from './dashboard/routes';
import type { AppEnv, Deps } from './deps';
import { pgErrorCode } from './lib/db';
import { ApiError, MalformedRequest, NotFound, PayloadTooLarge, ServiceUnavailable } from './lib/errors';
import { registerSecuritySchemes } from './lib/openapi';
import { internalProblem, problemResponse } from './lib/problem';
import { resolvePrincipal } from './middleware/auth';
import { bodyLimit } from './middleware/body-limit';
import { cors } from './middleware/cors';
import { idempotency } from './middleware/idempotency';
import { rateLimitByKey } from './middleware/rate-limit';
import { requestContext } from './middleware/request-log';
import { KeyResolver } from './modules/api-keys/authenticate';
import { apiKeyRoutes } from './modules/api-keys/routes';
import { customerRoutes } from './modules/customers/routes';
import { earningRoutes } from './modules/earning/routes';
import { feedbackRoutes } from './modules/feedback/routes';
import { insightRoutes } from './modules/insights/routes';
import { jobRoutes } from './modules/jobs/routes';
import { ledgerRoutes } from './modules/ledger/routes';
import { merchantRoutes } from './modules/merchants/routes';
import { redemptionRoutes } from './modules/redemptions/routes';
import { referralRoutes } from './modules/referrals/routes';
import { rewardRoutes } from './modules/rewards/routes';
import { ruleRoutes } from './modules/rules/routes';
import { storefrontRoutes } from './modules/storefront/routes';
import { systemRoutes } from './modules/system/routes';
import { tierRoutes } from './modules/tiers/routes';
import { webhookRoutes } from './modules/webhooks/routes';

export const API_VERSION = '0.1.0';
/** Imports stream up to their own, larger limit. */
const IMPORT_PATH = '/v1/imports/balances';

/** The one Hono app. Runtime-agnostic: everything it touches comes in through `deps`. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  const keys = new KeyResolver(deps.config.secret, deps.config.keyCacheTtlMs);

  app.use(requestContext(deps, keys));
  app.use('/v1/*', cors());
  const defaultLimit = bodyLimit(deps.config.maxBodyBytes);
  const importLimit = bodyLimit(deps.config.maxImportBytes);
  app.use('/v1/*', (c, next) => (c.req.path === IMPORT_PATH ? importLimit(c, next) : defaultLimit(c, next)));
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
  app.route('/', webhookRoutes());
  app.route('/', rewardRoutes());
  app.route('/', redemptionRoutes());
  app.route('/', referralRoutes());
  app.route('/', feedbackRoutes());
  app.route('/', insightRoutes());
  app.route('/', storefrontRoutes());
  app.route('/', dashboardRoutes());

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
    const code = pgErrorCode(error);
    if (code && INPUT_REFUSED_BY_DATABASE.has(code)) {
      return problemResponse(
        c,
        new MalformedRequest(
          'The request contains a value the database cannot store (e.g. a NUL character or an out-of-range number).',
        ),
      );
    }
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn('database unavailable', { requestId: c.get('requestId'), error: String(error) });
      return problemResponse(c, new ServiceUnavailable());
    }
    deps.logger.error('unhandled error', {
      requestId: c.get('requestId'),
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    return internalProblem(c);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/** Data exceptions (SQLSTATE class 22) caused by what the caller sent: a 400, not a 500. */
const INPUT_REFUSED_BY_DATABASE = new Set(['22021', '22P05', '22003', '22007', '22008', '22P02', '22001']);

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
