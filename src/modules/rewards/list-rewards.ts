import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { rewards } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { decodeCursor, page } from '../../lib/pagination';
import type { ListRewardsQuery } from './schemas';

/** Live rewards in id order (creation order, stable under inserts), optionally by state. */
export async function listRewards(ctx: VerbContext, q: ListRewardsQuery) {
  const after = decodeCursor(q.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(rewards)
    .where(
      and(
        eq(rewards.merchantId, ctx.merchant.id),
        isNull(rewards.deletedAt),
        q.active !== undefined ? eq(rewards.active, q.active) : undefined,
        after ? gt(rewards.id, String(after[0])) : undefined,
      ),
    )
    .orderBy(asc(rewards.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
