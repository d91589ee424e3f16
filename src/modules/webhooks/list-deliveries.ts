import { and, desc, eq, lt } from 'drizzle-orm';
import { webhookDeliveries } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { decodeCursor, page } from '../../lib/pagination';
import type { ListDeliveriesQuery } from './schemas';

/** The delivery log, newest event first (ids start with the event's time). */
export async function listDeliveries(ctx: VerbContext, q: ListDeliveriesQuery) {
  const before = decodeCursor(q.cursor, 1);
  const d = webhookDeliveries;
  const rows = await ctx.db
    .select()
    .from(d)
    .where(
      and(
        eq(d.merchantId, ctx.merchant.id),
        q.endpointId !== undefined ? eq(d.endpointId, q.endpointId) : undefined,
        q.status !== undefined ? eq(d.status, q.status) : undefined,
        q.eventType !== undefined ? eq(d.eventType, q.eventType) : undefined,
        before ? lt(d.id, String(before[0])) : undefined,
      ),
    )
    .orderBy(desc(d.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
