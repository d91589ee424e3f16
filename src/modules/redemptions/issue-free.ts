import { and, eq } from 'drizzle-orm';
import { redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { newId } from '../../lib/ids';
import { recordEvent } from '../../lib/outbox';
import type { CustomerRow } from '../ledger/types';
import { findReward } from '../rewards/find-reward';
import { assignCouponCode } from './coupons';
import { takeStock } from './eligibility';
import { eventData, type RedemptionRow, termsOf } from './view';

/**
 * Grants a catalog reward for free (e.g. a referral reward): an `issued` redemption with
 * `pointsSpent: 0` and a coupon, plus a `redemption.issued` event carrying `source`. Idempotent
 * per (source, customer): a repeat returns the first redemption. It takes a stock unit and a
 * pool code like any redemption (`out-of-stock` when none is left; a deleted reward is 404),
 * but ignores the reward's active window, tier and per-customer limit: the program promised
 * it. Call inside the caller's transaction with the customer locked (`lockCustomer`).
 */
export async function issueRewardFree(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  rewardId: string,
  source: { type: string; id: string },
): Promise<RedemptionRow> {
  const m = ctx.merchant.id;
  const [existing] = await tx
    .select()
    .from(redemptions)
    .where(
      and(
        eq(redemptions.merchantId, m),
        eq(redemptions.sourceType, source.type),
        eq(redemptions.sourceId, source.id),
        eq(redemptions.customerId, customer.id),
      ),
    );
  if (existing) return existing;
  const now = ctx.clock.now();
  const id = newId('redemption', now);
  const reward = await findReward(tx, m, rewardId);
  const stockTaken = await takeStock(tx, ctx, reward);
  const couponCode = await assignCouponCode(tx, ctx, reward.id, id);
  const [row] = await tx
    .insert(redemptions)
    .values({
      merchantId: m,
      id,
      customerId: customer.id,
      rewardId: reward.id,
      status: 'issued',
      pointsSpent: 0,
      terms: termsOf(reward),
      couponCode,
      stockTaken,
      sourceType: source.type,
      sourceId: source.id,
      issuedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordEvent(tx, m, 'redemption.issued', eventData(row!, { source }), now);
  return row!;
}
