import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { lockExistingCustomer } from '../ledger/lock-customer';
import { findRedemption, giveBack, transition } from './lifecycle';
import { eventData, type RedemptionRow } from './view';

/**
 * Cancels an issued, unused coupon: it stops validating and its points come back as a fresh
 * lot. Once only; a used coupon cannot be cancelled, and a reservation is released instead.
 */
export async function cancelRedemption(ctx: VerbContext, id: string): Promise<RedemptionRow> {
  return withTransaction(ctx.db, async (tx) => {
    const found = await findRedemption(tx, ctx.merchant.id, id);
    const customer = await lockExistingCustomer(tx, ctx, found.customerId);
    const row = await transition(tx, ctx, id, 'issued', { status: 'cancelled', resolvedAt: ctx.clock.now() });
    await giveBack(
      tx,
      ctx,
      customer,
      row,
      { wasReserved: false, code: null },
      { type: 'redemption.cancelled', data: eventData(row) },
    );
    return row;
  });
}
