import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { lockExistingCustomer } from '../ledger/lock-customer';
import { findRedemption, giveBack, transition } from './lifecycle';
import { eventData, type RedemptionRow } from './view';

/** Two-phase release: the hold ends and its points come back as a fresh lot. Once only. */
export async function releaseRedemption(ctx: VerbContext, id: string): Promise<RedemptionRow> {
  return withTransaction(ctx.db, async (tx) => {
    const found = await findRedemption(tx, ctx.merchant.id, id);
    const customer = await lockExistingCustomer(tx, ctx, found.customerId);
    const now = ctx.clock.now();
    const row = await transition(tx, ctx, id, 'reserved', {
      status: 'released',
      couponCode: null,
      resolvedAt: now,
    });
    await giveBack(
      tx,
      ctx,
      customer,
      row,
      { wasReserved: true, code: found.couponCode },
      { type: 'redemption.released', data: eventData(row, { reason: 'released' }) },
    );
    return row;
  });
}
