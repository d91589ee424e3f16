import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { query } from '../../lib/db';
import { NotFound, problemTypes } from '../../lib/errors';
import { json } from '../../lib/openapi';
import { createRouter } from '../../lib/router';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'unreachable']) });

export function systemRoutes() {
  const router = createRouter();

  router.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['System'],
      summary: 'Liveness and database check',
      responses: {
        200: json(Health, 'Serving, database reachable'),
        503: json(Health, 'Database unreachable'),
      },
    }),
    async (c) => {
      try {
        await query(c.get('db'), sql`select 1`);
        return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
      } catch {
        return c.json({ status: 'degraded' as const, database: 'unreachable' as const }, 503);
      }
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/problems/{type}',
      tags: ['System'],
      summary: 'What a problem type means',
      request: { params: z.object({ type: z.string() }) },
      responses: { 200: json(z.object({ type: z.string(), description: z.string() }), 'The problem type') },
    }),
    (c) => {
      const { type } = c.req.valid('param');
      const description = problemTypes[type];
      if (!description) throw new NotFound('problem type');
      return c.json({ type: `/problems/${type}`, description }, 200);
    },
  );

  return router;
}
