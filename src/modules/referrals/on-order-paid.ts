import { and, desc, eq, ne, or } from 'drizzle-orm';
import { referrals } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { recordEvent } from '../../lib/outbox';
import { DAY_MS } from '../../lib/time';
import type { CustomerRow } from '../ledger/types';
import { attributeReferral } from './attribute';
import { loadProgram } from './program';
import type { Referral } from './schemas';
import { type ReferralRow, toReferralView } from './view';

export interface PaidOrder {
  id: string;
  total: number;
  paidAt: Date;
  referralCode: string | null;
}

/**
 * A paid order, in the order's transaction, after its points were awarded. `customer` is the
 * locked row as it was before this order. An order carrying `referralCode` for a customer
 * without a live referral attributes them (at `paidAt`, this order checked as their first);
 * then a `pending` referral qualifies if this order meets the program's minimum and was paid
 * no later than `attributionWindowDays` after the attribution (an order ingested after the
 * attribution may carry an earlier `paidAt`: imports and backfills). Smaller orders neither
 * qualify nor disqualify. Returns the referral this order made or moved, if any.
 */
export async function referralForPaidOrder(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  order: PaidOrder,
): Promise<Referral | undefined> {
  // Most orders come from customers nobody referred: `referredBy` (set, under this lock, with
  // every live referral) lets them skip the referral lookups altogether.
  if (!order.referralCode && customer.referredBy === null) return undefined;
  const m = ctx.merchant.id;
  let touched: ReferralRow | undefined;
  if (order.referralCode) {
    const [live] = await tx
      .select()
      .from(referrals)
      .where(
        and(
          eq(referrals.merchantId, m),
          eq(referrals.refereeId, customer.id),
          ne(referrals.status, 'rejected'),
        ),
      );
    touched =
      live ??
      (
        await attributeReferral(tx, ctx, {
          code: order.referralCode,
          refereeId: customer.id,
          attributedAt: order.paidAt,
          order: { id: order.id, ordersBefore: customer.ordersCount },
        })
      ).referral;
  }
  const qualified = await qualify(tx, ctx, customer.id, order);
  const result = qualified ?? touched;
  return result && toReferralView(result);
}

async function qualify(tx: Tx, ctx: VerbContext, refereeId: string, order: PaidOrder) {
  const m = ctx.merchant.id;
  const [pending] = await tx
    .select()
    .from(referrals)
    .where(
      and(eq(referrals.merchantId, m), eq(referrals.refereeId, refereeId), eq(referrals.status, 'pending')),
    )
    .for('update');
  if (!pending) return undefined;
  const program = await loadProgram(tx, m);
  if (order.total < program.minOrderTotal) return undefined;
  const windowEnd = pending.attributedAt.getTime() + program.attributionWindowDays * DAY_MS;
  if (order.paidAt.getTime() > windowEnd) return undefined;

  const [row] = await tx
    .update(referrals)
    .set({
      status: 'qualified',
      orderId: order.id,
      qualifiedAt: order.paidAt,
      holdUntil: new Date(order.paidAt.getTime() + program.holdDays * DAY_MS),
    })
    .where(and(eq(referrals.merchantId, m), eq(referrals.id, pending.id), eq(referrals.status, 'pending')))
    .returning();
  if (!row) return undefined;
  await recordEvent(tx, m, 'referral.qualified', toReferralView(row), ctx.clock.now());
  return row;
}

/** For an order replay: the referral the order attributed or qualified, as it is now. */
export async function referralOfOrder(
  tx: Tx,
  ctx: VerbContext,
  orderId: string,
): Promise<Referral | undefined> {
  const [row] = await tx
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.merchantId, ctx.merchant.id),
        or(eq(referrals.orderId, orderId), eq(referrals.attributedOrderId, orderId)),
      ),
    )
    .orderBy(desc(referrals.id))
    .limit(1);
  return row && toReferralView(row);
}
