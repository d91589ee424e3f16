import { and, asc, eq, gt } from 'drizzle-orm';
import { customers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { normalizeEmail } from '../../lib/email';
import { NotFound } from '../../lib/errors';
import { decodeCursor, page } from '../../lib/pagination';
import type { CustomerRow } from './view';

export async function getCustomer(ctx: VerbContext, id: string): Promise<CustomerRow> {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, id)));
  if (!row) throw new NotFound('customer');
  return row;
}

/** Customers in id order (stable under inserts), optionally by normalised email. */
export async function listCustomers(
  ctx: VerbContext,
  q: { limit: number; cursor?: string | undefined; email?: string | undefined },
) {
  const after = decodeCursor(q.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.merchantId, ctx.merchant.id),
        q.email ? eq(customers.emailNormalized, normalizeEmail(q.email)) : undefined,
        after ? gt(customers.id, String(after[0])) : undefined,
      ),
    )
    .orderBy(asc(customers.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
