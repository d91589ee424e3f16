import { redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { InsufficientPoints } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { debitPoints } from '../ledger/debit';
import { lockExistingCustomer } from '../ledger/lock-customer';
import { findReward } from '../rewards/find-reward';
import { assignCouponCode } from './coupons';
import { assertEligible, takeStock } from './eligibility';
import { DEFAULT_TTL_SECONDS, type RedeemInput } from './schemas';
import { eventData, type RedemptionRow, termsOf } from './view';

/**
 * Spends a customer's points on a reward, in one transaction under the customer's lock:
 * eligibility, a stock unit, a coupon code, the FIFO debit and the redemption row commit
 * together or not at all. `issue` hands out the coupon at once; `reserve` only holds the
 * points (they move to `reserved`) until commit, release or the TTL.
 */
export async function redeemReward(ctx: VerbContext, input: RedeemInput): Promise<RedemptionRow> {
  const now = ctx.clock.now();
  const id = newId('redemption', now);
  const reserve = input.mode === 'reserve';
  return withTransaction(ctx.db, async (tx) => {
    const customer = await lockExistingCustomer(tx, ctx, input.customerId);
    const reward = await findReward(tx, ctx.merchant.id, input.rewardId);
    await assertEligible(tx, ctx, customer, reward);
    // Checked before the stock update, so a customer who cannot pay never locks the reward row.
    if (customer.available < reward.costPoints) {
      throw new InsufficientPoints(customer.available, reward.costPoints);
    }
    const stockTaken = await takeStock(tx, ctx, reward);
    const couponCode = await assignCouponCode(tx, ctx, reward.id, id);
    const row: RedemptionRow = {
      merchantId: ctx.merchant.id,
      id,
      customerId: customer.id,
      rewardId: reward.id,
      status: reserve ? 'reserved' : 'issued',
      pointsSpent: reward.costPoints,
      terms: termsOf(reward),
      couponCode,
      orderId: null,
      expiresAt: reserve ? new Date(now.getTime() + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000) : null,
      stockTaken,
      debitEntryId: null,
      sourceType: null,
      sourceId: null,
      issuedAt: reserve ? null : now,
      usedAt: null,
      resolvedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const { entry } = await debitPoints(
      tx,
      ctx,
      customer,
      {
        kind: 'redeem',
        points: reward.costPoints,
        sourceType: 'redemption',
        sourceId: id,
        reason: reward.name,
        dedupeKey: `redemption:${id}`,
        reserve,
      },
      [{ type: reserve ? 'redemption.reserved' : 'redemption.issued', data: eventData(row) }],
    );
    row.debitEntryId = entry.id;
    await tx.insert(redemptions).values(row);
    return row;
  });
}
