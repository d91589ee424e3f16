import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { earningRules } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { decodeCursor, page } from '../../lib/pagination';
import type { ListRulesQuery } from './schemas';

/** Live rules in id order (creation order, stable under inserts), optionally by event and state. */
export async function listRules(ctx: VerbContext, q: ListRulesQuery) {
  const after = decodeCursor(q.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(earningRules)
    .where(
      and(
        eq(earningRules.merchantId, ctx.merchant.id),
        isNull(earningRules.deletedAt),
        q.event !== undefined ? eq(earningRules.event, q.event) : undefined,
        q.active !== undefined ? eq(earningRules.active, q.active) : undefined,
        after ? gt(earningRules.id, String(after[0])) : undefined,
      ),
    )
    .orderBy(asc(earningRules.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
