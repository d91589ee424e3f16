import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { customers, tiers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { type Executor, prepared } from '../../lib/db';
import { normalizeEmail } from '../../lib/email';
import { NotFound } from '../../lib/errors';
import { decodeCursor, page } from '../../lib/pagination';
import { type CustomerRow, customerColumns } from './view';

/** A customer row with `due`: pending points whose time has come but no job has matured yet. */
export type CustomerRead = CustomerRow & { due: number };

// The outer row is named literally: drizzle renders a bare column unqualified here, and
// inside the subquery a bare "id" would mean the lot's id.
const due = (merchantId: unknown, now: unknown) =>
  sql<number>`(select coalesce(sum(l.remaining), 0)::int from lots l
    where l.merchant_id = ${merchantId} and l.customer_id = "customers"."id"
      and not l.matured and l.available_at <= ${now}::timestamptz)`;

// The balance read is a hot path: one prepared statement, one round trip.
const byId = (db: Executor) =>
  db
    .select({
      ...customerColumns,
      due: due(sql.placeholder('merchantId'), sql.placeholder('now')),
    })
    .from(customers)
    .where(
      and(eq(customers.merchantId, sql.placeholder('merchantId')), eq(customers.id, sql.placeholder('id'))),
    )
    .prepare('customer_by_id');

export async function getCustomer(ctx: VerbContext, id: string): Promise<CustomerRead> {
  const [row] = await prepared(ctx.db, 'customer_by_id', byId).execute({
    merchantId: ctx.merchant.id,
    id,
    now: ctx.clock.now().toISOString(),
  });
  if (!row) throw new NotFound('customer');
  return row;
}

/**
 * Customers in id order (stable under inserts), optionally by normalised email or by tier
 * name (`none` for customers without a tier).
 */
export async function listCustomers(
  ctx: VerbContext,
  q: { limit: number; cursor?: string | undefined; email?: string | undefined; tier?: string | undefined },
) {
  const after = decodeCursor(q.cursor, 1);
  const tierFilter =
    q.tier === undefined
      ? undefined
      : q.tier.toLowerCase() === 'none'
        ? isNull(customers.tierId)
        : sql`${customers.tierId} in (select ${tiers.id} from ${tiers} where ${tiers.merchantId} = ${ctx.merchant.id}
            and lower(${tiers.name}) = lower(${q.tier}) and ${tiers.retiredAt} is null)`;
  const rows = await ctx.db
    .select({ ...customerColumns, due: due(ctx.merchant.id, ctx.clock.now().toISOString()) })
    .from(customers)
    .where(
      and(
        eq(customers.merchantId, ctx.merchant.id),
        q.email ? eq(customers.emailNormalized, normalizeEmail(q.email)) : undefined,
        tierFilter,
        after ? gt(customers.id, String(after[0])) : undefined,
      ),
    )
    .orderBy(asc(customers.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
