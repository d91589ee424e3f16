import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { recordEvent } from '../../lib/outbox';
import { transition } from './lifecycle';
import type { UseRedemptionInput } from './schemas';
import { eventData, type RedemptionRow } from './view';

/**
 * Marks an issued coupon used on an order. Once only: the conditional update makes a
 * concurrent second use, or a use racing a cancel, find the coupon no longer `issued`.
 * No balance changes, so the customer is not locked.
 */
export async function useRedemption(
  ctx: VerbContext,
  id: string,
  input: UseRedemptionInput,
): Promise<RedemptionRow> {
  return withTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const row = await transition(tx, ctx, id, 'issued', {
      status: 'used',
      orderId: input.orderId,
      usedAt: now,
    });
    await recordEvent(tx, ctx.merchant.id, 'redemption.used', eventData(row), now);
    return row;
  });
}
