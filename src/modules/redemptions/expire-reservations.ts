import { and, eq, lte, sql } from 'drizzle-orm';
import { customers, merchants, redemptions } from '../../../db/schema';
import type { Merchant, VerbContext } from '../../deps';
import type { Clock } from '../../lib/clock';
import { type Executor, query, withTransaction } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { giveBack } from './lifecycle';
import { eventData } from './view';

const BATCH = 500;

/**
 * Scheduled: reservations past `expiresAt` become `expired` and their points come back. The
 * customer is locked first, with SKIP LOCKED (a busy customer waits for the next run), then
 * the conditional update claims the hold, so a hold that a commit or release resolved first,
 * or that another runner expired, is left alone: each hold resolves at most once.
 */
export async function expireReservations(job: {
  db: Executor;
  clock: Clock;
  logger: Logger;
  merchantId?: string | undefined;
}): Promise<number> {
  const now = job.clock.now();
  const due = await query<{
    merchant_id: string;
    id: string;
    customer_id: string;
    coupon_code: string | null;
  }>(
    job.db,
    sql`select m.id as merchant_id, r.id, r.customer_id, r.coupon_code
        from merchants m
        cross join lateral (
          select id, customer_id, coupon_code from redemptions
          where merchant_id = m.id and status = 'reserved' and expires_at <= ${now.toISOString()}::timestamptz
          order by expires_at
          limit ${BATCH}) r
        ${job.merchantId ? sql`where m.id = ${job.merchantId}` : sql``}`,
  );
  if (due.length === 0) return 0;
  const merchantRows = await job.db.select().from(merchants);
  const byId = new Map<string, Merchant>(merchantRows.map((m) => [m.id, m]));
  let expired = 0;
  for (const hold of due) {
    const merchant = byId.get(hold.merchant_id);
    if (!merchant) continue;
    expired += await withTransaction(job.db, async (tx) => {
      const [customer] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.merchantId, merchant.id), eq(customers.id, hold.customer_id)))
        .for('update', { skipLocked: true });
      if (!customer) return 0;
      const ctx: VerbContext = {
        db: tx,
        merchant,
        clock: job.clock,
        logger: job.logger,
        actor: 'system:jobs',
        requestId: undefined,
      };
      const [row] = await tx
        .update(redemptions)
        .set({ status: 'expired', couponCode: null, resolvedAt: now, updatedAt: now })
        .where(
          and(
            eq(redemptions.merchantId, merchant.id),
            eq(redemptions.id, hold.id),
            eq(redemptions.status, 'reserved'),
            lte(redemptions.expiresAt, now),
          ),
        )
        .returning();
      if (!row) return 0;
      await giveBack(
        tx,
        ctx,
        customer,
        row,
        { wasReserved: true, code: hold.coupon_code },
        { type: 'redemption.released', data: eventData(row, { reason: 'expired' }) },
      );
      return 1;
    });
  }
  return expired;
}
