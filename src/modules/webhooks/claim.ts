import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../lib/db';
import { LEASE_MS } from './retry-policy';

export interface DeliveryKey {
  merchantId: string;
  id: string;
}

/**
 * Claims up to `limit` deliveries due by `dueBy` in one short statement: the rows are taken with
 * FOR UPDATE SKIP LOCKED and their `next_attempt_at` pushed `LEASE_MS` ahead, which commits
 * at once. Another runner neither sees them as due nor waits for them; if this runner dies
 * before recording the attempt, the lease runs out and the delivery is due again.
 */
export async function claimDueDeliveries(
  db: Executor,
  opts: { dueBy: Date; now: Date; limit: number; merchantId?: string | undefined },
): Promise<DeliveryKey[]> {
  const { now, limit, merchantId } = opts;
  const at = now.toISOString();
  const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
  const rows = await query<{ merchant_id: string; id: string }>(
    db,
    sql`with due as (
          select d.merchant_id, d.id
          from (select distinct merchant_id from webhook_endpoints
                ${merchantId ? sql`where merchant_id = ${merchantId}` : sql``}) m
          cross join lateral (
            select merchant_id, id from webhook_deliveries
            where merchant_id = m.merchant_id and status = 'pending' and next_attempt_at <= ${opts.dueBy.toISOString()}::timestamptz
            order by next_attempt_at
            limit ${limit}
            for update skip locked) d
          limit ${limit})
        update webhook_deliveries w
        set next_attempt_at = ${leaseUntil}::timestamptz, updated_at = ${at}::timestamptz
        from due
        where w.merchant_id = due.merchant_id and w.id = due.id
        returning w.merchant_id, w.id`,
  );
  return rows.map((r) => ({ merchantId: r.merchant_id, id: r.id }));
}
