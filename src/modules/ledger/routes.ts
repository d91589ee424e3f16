import { z } from '@hono/zod-openapi';
import { ValidationFailed } from '../../lib/errors';
import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { PageQuery } from '../../lib/pagination';
import { createRouter, verbContext } from '../../lib/router';
import { Instant } from '../../lib/validators';
import { getCustomer } from '../customers/read-customers';
import { CustomerIdParam } from '../customers/schemas';
import { adjustPoints } from './adjust';
import { exportLedger } from './export-ledger';
import { importBalances } from './import-balances';
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

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/imports/balances',
      tags: ['Ledger'],
      summary: 'Import opening balances (CSV, streamed, up to 50 MB)',
      description:
        'CSV with a header naming `customerId` and `points`, optionally `email`, `name`, `earnedAt` (ISO 8601). ' +
        'Each row becomes an `import` entry and a lot; unknown customers are created. Re-sending the same `batchId` ' +
        'imports no row twice. Invalid rows are reported by line and not imported; the others are.',
      request: {
        query: z.object({
          batchId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits or _.:-'),
        }),
        body: { required: true, content: { 'text/csv': { schema: z.string() } } },
      },
      responses: { 200: json(ImportReport, 'What was imported') },
    }),
    async (c) => {
      const body = c.req.raw.body;
      if (!body) throw new ValidationFailed([{ path: 'body', message: 'is required' }]);
      const report = await importBalances(verbContext(c), c.req.valid('query').batchId, body);
      return c.json(report, 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/ledger/export',
      tags: ['Ledger'],
      summary: 'Export the ledger (NDJSON or CSV, streamed)',
      description:
        'All entries in write order, optionally for one customer and a `[from, to)` window on `createdAt`.',
      request: {
        query: z.object({
          format: z.enum(['ndjson', 'csv']).default('ndjson'),
          customerId: z.string().max(128).optional(),
          from: Instant.optional(),
          to: Instant.optional(),
        }),
      },
      responses: {
        200: {
          description: 'The entries, one per line',
          content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } },
        },
      },
    }),
    (c) => {
      const q = c.req.valid('query');
      const stream = exportLedger(verbContext(c), q);
      return new Response(stream, {
        status: 200,
        headers: {
          'Content-Type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
          'Content-Disposition': `attachment; filename="ledger.${q.format === 'csv' ? 'csv' : 'ndjson'}"`,
        },
      }) as never;
    },
  );

  return router;
}

const ImportReport = z
  .object({
    batchId: z.string(),
    imported: z.number().int(),
    skipped: z.number().int().openapi({ description: 'Rows this batch had already imported.' }),
    failed: z.number().int(),
    errors: z
      .array(z.object({ line: z.number().int(), message: z.string() }))
      .openapi({ description: 'The first 100.' }),
  })
  .openapi('ImportReport');
