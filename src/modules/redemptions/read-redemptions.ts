import { and, desc, eq, lt } from 'drizzle-orm';
import { redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { decodeCursor, page } from '../../lib/pagination';
import { findRedemption } from './lifecycle';
import type { ListRedemptionsQuery } from './schemas';
import type { RedemptionRow } from './view';

export function getRedemption(ctx: VerbContext, id: string): Promise<RedemptionRow> {
  return findRedemption(ctx.db, ctx.merchant.id, id);
}

/** Redemptions newest first (ids sort by creation time), optionally by customer and status. */
export async function listRedemptions(ctx: VerbContext, q: ListRedemptionsQuery) {
  const before = decodeCursor(q.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(redemptions)
    .where(
      and(
        eq(redemptions.merchantId, ctx.merchant.id),
        q.customerId !== undefined ? eq(redemptions.customerId, q.customerId) : undefined,
        q.status !== undefined ? eq(redemptions.status, q.status) : undefined,
        before ? lt(redemptions.id, String(before[0])) : undefined,
      ),
    )
    .orderBy(desc(redemptions.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
