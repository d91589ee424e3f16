import { and, eq, type SQL } from 'drizzle-orm';
import { type RedemptionStatus, redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Executor, Tx } from '../../lib/db';
import { InvalidState, NotFound } from '../../lib/errors';
import { recordEvent } from '../../lib/outbox';
import { returnRedeemedPoints } from '../ledger/return-points';
import type { CustomerRow, NewEvent } from '../ledger/types';
import { returnPoolCode } from './coupons';
import { restoreStock } from './eligibility';
import type { RedemptionRow } from './view';

export async function findRedemption(db: Executor, merchantId: string, id: string): Promise<RedemptionRow> {
  const [row] = await db
    .select()
    .from(redemptions)
    .where(and(eq(redemptions.merchantId, merchantId), eq(redemptions.id, id)));
  if (!row) throw new NotFound('redemption');
  return row;
}

/**
 * Moves a redemption from `from` to a new status with a conditional update, so a step
 * happens at most once however many callers race for it. Refuses with `invalid-state`
 * (naming the current status) when the redemption is not in `from` any more; the caller's
 * transaction then rolls back, leaving no side effect.
 */
export async function transition(
  tx: Tx,
  ctx: VerbContext,
  id: string,
  from: RedemptionStatus,
  set: Partial<RedemptionRow> & { status: RedemptionStatus },
  also?: SQL,
): Promise<RedemptionRow> {
  const [row] = await tx
    .update(redemptions)
    .set({ ...set, updatedAt: ctx.clock.now() })
    .where(
      and(
        eq(redemptions.merchantId, ctx.merchant.id),
        eq(redemptions.id, id),
        eq(redemptions.status, from),
        also,
      ),
    )
    .returning();
  if (row) return row;
  const current = await findRedemption(tx, ctx.merchant.id, id);
  const status = current.status === from ? 'expired' : current.status; // only `also` (the TTL) can refuse
  throw new InvalidState('redemption', status);
}

/**
 * Undoes a redemption that ends unused — a released or expired hold, a cancelled coupon —
 * for a customer the caller has locked: its points come back as a fresh lot (a hold also
 * leaves `reserved`), its stock unit goes back, and a hold's code, never handed out, returns
 * to the pool. `row` is the redemption after its transition; `event` goes out with the change.
 */
export async function giveBack(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  row: RedemptionRow,
  hold: { wasReserved: boolean; code: string | null },
  event: NewEvent,
): Promise<void> {
  if (row.stockTaken) await restoreStock(tx, ctx, row.rewardId);
  if (hold.wasReserved && hold.code !== null) await returnPoolCode(tx, ctx, row.id, hold.code);
  if (row.pointsSpent > 0 && row.debitEntryId) {
    await returnRedeemedPoints(
      tx,
      ctx,
      customer,
      {
        points: row.pointsSpent,
        redeemEntryId: row.debitEntryId,
        sourceType: 'redemption',
        sourceId: row.id,
        reason: `redemption ${row.status}`,
        dedupeKey: `redemption:${row.id}:returned`,
        fromReserved: hold.wasReserved,
      },
      [event],
    );
  } else {
    await recordEvent(tx, ctx.merchant.id, event.type, event.data, ctx.clock.now());
  }
}
