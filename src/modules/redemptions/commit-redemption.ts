import { gt } from 'drizzle-orm';
import { redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { lockExistingCustomer } from '../ledger/lock-customer';
import { commitReservedPoints } from '../ledger/return-points';
import { findRedemption, transition } from './lifecycle';
import { eventData, type RedemptionRow } from './view';

/**
 * Two-phase commit: a live reservation becomes an issued coupon and its held points are spent
 * for good. A reservation past its TTL cannot be committed (`invalid-state`, `expired`).
 */
export async function commitRedemption(ctx: VerbContext, id: string): Promise<RedemptionRow> {
  return withTransaction(ctx.db, async (tx) => {
    const found = await findRedemption(tx, ctx.merchant.id, id);
    const customer = await lockExistingCustomer(tx, ctx, found.customerId);
    const now = ctx.clock.now();
    const row = await transition(
      tx,
      ctx,
      id,
      'reserved',
      { status: 'issued', issuedAt: now },
      gt(redemptions.expiresAt, now),
    );
    await commitReservedPoints(tx, ctx, customer, row.pointsSpent, [
      { type: 'redemption.issued', data: eventData(row) },
    ]);
    return row;
  });
}
