import { createRoute, type OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import { type Access, requireAccess } from '../middleware/auth';

export const Problem = z
  .object({
    type: z.string().openapi({ example: '/problems/validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .passthrough()
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

const problemContent = { 'application/problem+json': { schema: Problem } };

const standardErrors = {
  400: {
    description: 'Invalid request: `errors` names each field and what is wrong.',
    content: problemContent,
  },
  401: { description: 'Missing, unknown or revoked credentials.', content: problemContent },
  403: { description: 'Valid credentials without the needed scope.', content: problemContent },
  404: { description: 'No such object for this merchant.', content: problemContent },
  409: {
    description: 'Conflict, invalid state, or a request with this Idempotency-Key in flight.',
    content: problemContent,
  },
  413: { description: 'Body too large.', content: problemContent },
  422: { description: 'Idempotency-Key reused with a different request.', content: problemContent },
  429: { description: 'Rate limited; see Retry-After.', content: problemContent },
} as const;

const securityOf: Record<Access, Record<string, string[]>[]> = {
  operator: [{ operatorToken: [] }],
  admin: [{ secretKey: ['admin'] }],
  server: [{ secretKey: ['server'] }],
  storefront: [{ publishableKey: [], customerToken: [] }],
  publishable: [{ publishableKey: [] }],
};

/**
 * createRoute with the house conventions: the access guard runs before validation, the
 * security requirement and the problem responses are documented, and POSTs accept
 * Idempotency-Key.
 */
export function defineRoute<const R extends RouteConfig>(access: Access[], config: R) {
  const middleware = [requireAccess(...access), ...(config.middleware ? [config.middleware].flat() : [])];
  return createRoute({
    ...config,
    middleware,
    security: access.flatMap((a) => securityOf[a]),
    responses: { ...standardErrors, ...config.responses },
  } as R) as R & { getRoutingPath(): string };
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

export const registerSecuritySchemes = (registry: OpenAPIHono['openAPIRegistry']) => {
  registry.registerComponent('securitySchemes', 'secretKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A secret key `sk_…` (scopes `admin`, `server`), from the shop backend only.',
  });
  registry.registerComponent('securitySchemes', 'publishableKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A publishable key `pk_…`, safe in the browser.',
  });
  registry.registerComponent('securitySchemes', 'customerToken', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Customer-Token',
    description: 'A short-lived customer JWT minted by `POST /v1/customers/{id}/tokens`.',
  });
  registry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator credential `PLAUDIT_ADMIN_TOKEN`.',
  });
};
