import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { webhookEndpoints } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { decodeCursor, page } from '../../lib/pagination';
import type { ListEndpointsQuery } from './schemas';

/** Live endpoints in creation (id) order. */
export async function listEndpoints(ctx: VerbContext, q: ListEndpointsQuery) {
  const after = decodeCursor(q.cursor, 1);
  const ep = webhookEndpoints;
  const rows = await ctx.db
    .select()
    .from(ep)
    .where(
      and(
        eq(ep.merchantId, ctx.merchant.id),
        isNull(ep.deletedAt),
        after ? gt(ep.id, String(after[0])) : undefined,
      ),
    )
    .orderBy(asc(ep.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
