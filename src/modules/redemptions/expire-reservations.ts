import { and, eq, lte, sql } from 'drizzle-orm';
import { redemptions } from '../../../db/schema';
import { query } from '../../lib/db';
import { forEachLockedCustomer, type JobContext } from '../jobs/for-each-customer';
import { giveBack } from './lifecycle';
import { eventData } from './view';

const BATCH = 500;

/**
 * Scheduled: reservations past `expiresAt` become `expired` and their points come back. The
 * customer is locked first, with SKIP LOCKED (a busy customer waits for the next run), then
 * the conditional update claims the hold, so a hold that a commit or release resolved first,
 * or that another runner expired, is left alone: each hold resolves at most once.
 */
export async function expireReservations(job: JobContext): Promise<number> {
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
  return forEachLockedCustomer(job, due, async (tx, ctx, customer, hold) => {
    const [row] = await tx
      .update(redemptions)
      .set({ status: 'expired', couponCode: null, resolvedAt: now, updatedAt: now })
      .where(
        and(
          eq(redemptions.merchantId, ctx.merchant.id),
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
