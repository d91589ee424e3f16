import { z } from '@hono/zod-openapi';
import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { PageQuery } from '../../lib/pagination';
import { createRouter, verbContext } from '../../lib/router';
import { createApiKey, listApiKeys, revokeApiKey, toApiKeyView } from './manage-keys';
import { ApiKey, CreateApiKeyInput, CreatedApiKey } from './schemas';

export function apiKeyRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/api-keys',
      tags: ['API keys'],
      summary: 'Create a key (shown once)',
      request: { body: jsonBody(CreateApiKeyInput) },
      responses: { 201: json(CreatedApiKey, 'Created; `key` is never shown again') },
    }),
    async (c) => {
      const { row, key } = await createApiKey(
        verbContext(c),
        c.get('deps').config.secret,
        c.req.valid('json'),
      );
      return c.json({ ...toApiKeyView(row), key }, 201);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/api-keys',
      tags: ['API keys'],
      summary: 'List keys (prefix only)',
      request: { query: PageQuery },
      responses: {
        200: json(z.object({ data: z.array(ApiKey), nextCursor: z.string().nullable() }), 'A page'),
      },
    }),
    async (c) => {
      const result = await listApiKeys(verbContext(c), c.req.valid('query'));
      return c.json({ data: result.data.map(toApiKeyView), nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'delete',
      path: '/v1/api-keys/{id}',
      tags: ['API keys'],
      summary: 'Revoke a key',
      request: { params: z.object({ id: z.string().max(64) }) },
      responses: { 204: { description: 'Revoked' } },
    }),
    async (c) => {
      await revokeApiKey(verbContext(c), c.req.valid('param').id);
      c.get('keys').clear();
      return c.body(null, 204);
    },
  );

  return router;
}
