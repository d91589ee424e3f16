import { and, eq } from 'drizzle-orm';
import { customAlphabet } from 'nanoid';
import { couponCodes } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { rawQuery, type Tx } from '../../lib/db';
import { OutOfStock } from '../../lib/errors';

// Read aloud and typed at checkout: no 0/O, 1/I/L. 31 symbols × 12 ≈ 59 bits, so guessing
// a live code is hopeless and collisions are negligible (the unique index is the last guard).
const READABLE = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const randomCode = customAlphabet(READABLE, 12);

/** A fresh coupon code such as `K7QX4M-9PZT2H`. */
export function generateCouponCode(): string {
  const c = randomCode();
  return `${c.slice(0, 6)}-${c.slice(6)}`;
}

/**
 * The coupon for a new redemption: a free code of the reward's uploaded pool, claimed with
 * SKIP LOCKED so concurrent redemptions take different codes without waiting; a generated
 * code when the reward has no pool. A pool that is used up means out of stock.
 */
export async function assignCouponCode(
  tx: Tx,
  ctx: VerbContext,
  rewardId: string,
  redemptionId: string,
): Promise<string> {
  // One statement: the claim, and whether the reward has a pool at all (in the same
  // snapshot), so a reward without a pool costs one round trip, not two.
  const [row] = await rawQuery<{ code: string | null; pooled: boolean }>(
    tx,
    `with taken as (
       update coupon_codes set redemption_id = $3, taken_at = $4::timestamptz
       where merchant_id = $1 and code = (
         select code from coupon_codes
         where merchant_id = $1 and reward_id = $2 and redemption_id is null
         order by code limit 1
         for update skip locked)
       returning code)
     select (select code from taken) as code,
       exists (select 1 from coupon_codes where merchant_id = $1 and reward_id = $2) as pooled`,
    [ctx.merchant.id, rewardId, redemptionId, ctx.clock.now().toISOString()],
  );
  if (row?.code) return row.code;
  if (row?.pooled) throw new OutOfStock();
  return generateCouponCode();
}

/** Puts a pool code that was held for a reservation, never handed out, back in the pool. */
export async function returnPoolCode(
  tx: Tx,
  ctx: VerbContext,
  redemptionId: string,
  code: string,
): Promise<void> {
  await tx
    .update(couponCodes)
    .set({ redemptionId: null, takenAt: null })
    .where(
      and(
        eq(couponCodes.merchantId, ctx.merchant.id),
        eq(couponCodes.code, code),
        eq(couponCodes.redemptionId, redemptionId),
      ),
    );
}
