import { z } from '@hono/zod-openapi';
import { Forbidden } from '../../lib/errors';
import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { PageQuery } from '../../lib/pagination';
import { createRouter, verbContext } from '../../lib/router';
import { createMerchant } from './create-merchant';
import { listAudit } from './list-audit';
import { CreatedMerchant, CreateMerchantInput, MerchantSettings, UpdateMerchantInput } from './schemas';
import { updateMerchant } from './update-merchant';
import { toMerchantView } from './view';

const AuditEntry = z
  .object({
    id: z.string(),
    actor: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string().nullable(),
    createdAt: z.string().datetime(),
  })
  .openapi('AuditEntry');

export function merchantRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['operator'], {
      method: 'post',
      path: '/v1/merchants',
      tags: ['Merchants'],
      summary: 'Create a merchant (operator)',
      description:
        'Returns the merchant with its first secret key (admin + server) and publishable key, shown once.',
      request: { body: jsonBody(CreateMerchantInput) },
      responses: { 201: json(CreatedMerchant, 'Created') },
    }),
    async (c) => {
      const { deps } = c.var;
      if (!deps.config.adminToken)
        throw new Forbidden('Operator routes are disabled: PLAUDIT_ADMIN_TOKEN is not set.');
      const created = await createMerchant(
        { db: c.get('db'), clock: deps.clock, pepper: deps.config.secret },
        c.req.valid('json'),
      );
      return c.json({ ...created, merchant: toMerchantView(created.merchant) }, 201);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/merchant',
      tags: ['Merchants'],
      summary: 'Read the merchant settings',
      responses: { 200: json(MerchantSettings, 'Settings') },
    }),
    (c) => c.json(toMerchantView(verbContext(c).merchant), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'patch',
      path: '/v1/merchant',
      tags: ['Merchants'],
      summary: 'Change merchant settings',
      description: 'Only the fields sent change. Every change is written to the audit log.',
      request: { body: jsonBody(UpdateMerchantInput) },
      responses: { 200: json(MerchantSettings, 'Updated settings') },
    }),
    async (c) => {
      const merchant = await updateMerchant(verbContext(c), c.req.valid('json'));
      c.get('keys').clear();
      return c.json(toMerchantView(merchant), 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/audit-log',
      tags: ['Merchants'],
      summary: 'Configuration changes, newest first',
      request: { query: PageQuery },
      responses: {
        200: json(z.object({ data: z.array(AuditEntry), nextCursor: z.string().nullable() }), 'A page'),
      },
    }),
    async (c) => {
      const result = await listAudit(verbContext(c), c.req.valid('query'));
      return c.json(
        {
          data: result.data.map((r) => ({
            id: r.id,
            actor: r.actor,
            action: r.action,
            targetType: r.targetType,
            targetId: r.targetId,
            changes: r.changes,
            requestId: r.requestId,
            createdAt: r.createdAt.toISOString(),
          })),
          nextCursor: result.nextCursor,
        },
        200,
      );
    },
  );

  return router;
}
