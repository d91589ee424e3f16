import { and, count, eq, gt, gte, or } from 'drizzle-orm';
import { webhookDeliveries } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { idPrefixes } from '../../lib/ids';

/**
 * Per endpoint, how many deliveries of events since `since` are failing: given up (`failed`)
 * or waiting for a retry after a failed attempt (`pending` with attempts). One grouped query.
 */
export async function countFailingDeliveries(ctx: VerbContext, since: Date): Promise<Map<string, number>> {
  const d = webhookDeliveries;
  // Delivery ids start with their event's time (9 base-36 digits of ms, see lib/ids.ts), so a
  // lower bound on the id keeps the scan to the period's part of the primary key.
  const lowest = `${idPrefixes.delivery}_${since.getTime().toString(36).padStart(9, '0')}`;
  const rows = await ctx.db
    .select({ endpointId: d.endpointId, failing: count() })
    .from(d)
    .where(
      and(
        eq(d.merchantId, ctx.merchant.id),
        gte(d.id, lowest),
        or(eq(d.status, 'failed'), and(eq(d.status, 'pending'), gt(d.attemptCount, 0))),
      ),
    )
    .groupBy(d.endpointId);
  return new Map(rows.map((r) => [r.endpointId, Number(r.failing)]));
}
