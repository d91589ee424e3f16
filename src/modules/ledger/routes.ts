import { z } from '@hono/zod-openapi';
import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { PageQuery } from '../../lib/pagination';
import { createRouter, verbContext } from '../../lib/router';
import { getCustomer } from '../customers/read-customers';
import { CustomerIdParam } from '../customers/schemas';
import { adjustPoints } from './adjust';
import { listLedger } from './list-ledger';
import { LedgerEntry, LedgerPage } from './schemas';
import { toEntryView } from './view';

const AdjustmentInput = z
  .strictObject({
    points: z
      .number()
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((p) => p !== 0, 'must not be zero'),
    reason: z.string().trim().min(1).max(500),
  })
  .openapi('AdjustmentInput', {
    description: 'Positive credits a new lot; negative spends down to zero, never below.',
  });

export function ledgerRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/customers/{customerId}/ledger',
      tags: ['Ledger'],
      summary: "A customer's ledger, newest first",
      description: 'Entries in the order they were written (newest first); `occurredAt` is the event time.',
      request: { params: CustomerIdParam, query: PageQuery },
      responses: { 200: json(LedgerPage, 'A page') },
    }),
    async (c) => {
      const ctx = verbContext(c);
      const { customerId } = c.req.valid('param');
      const result = await listLedger(ctx, customerId, c.req.valid('query'));
      if (result.data.length === 0) await getCustomer(ctx, customerId); // 404 for unknown customers
      const now = ctx.clock.now();
      return c.json(
        { data: result.data.map((e) => toEntryView(e, now)), nextCursor: result.nextCursor },
        200,
      );
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/customers/{customerId}/adjustments',
      tags: ['Ledger'],
      summary: 'Adjust a balance by hand, with a reason',
      request: { params: CustomerIdParam, body: jsonBody(AdjustmentInput) },
      responses: { 201: json(LedgerEntry, 'The adjustment entry') },
    }),
    async (c) => {
      const entry = await adjustPoints(verbContext(c), c.req.valid('param').customerId, c.req.valid('json'));
      return c.json(entry, 201);
    },
  );

  return router;
}
