import { and, eq } from 'drizzle-orm';
import { redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { CouponValidation } from './schemas';
import { rewardOf } from './view';

/**
 * Checkout's question "what does this code give, and to whom?". Only an issued, unused coupon
 * of this merchant is valid; every other code — unknown, used, cancelled, released, expired,
 * still reserved, another merchant's — answers the same `{valid: false}`, so the answer
 * reveals nothing about codes that exist.
 */
export async function validateCoupon(ctx: VerbContext, code: string): Promise<CouponValidation> {
  const [row] = await ctx.db
    .select()
    .from(redemptions)
    .where(and(eq(redemptions.merchantId, ctx.merchant.id), eq(redemptions.couponCode, code)));
  if (row?.status !== 'issued') return { valid: false };
  return { valid: true, reward: rewardOf(row), customerId: row.customerId, redemptionId: row.id };
}
