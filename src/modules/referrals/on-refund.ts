import { and, eq, inArray } from 'drizzle-orm';
import { referrals } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { recordEvent } from '../../lib/outbox';
import { lockCustomer } from '../ledger/lock-customer';
import type { CustomerRow } from '../ledger/types';
import { revokeReward } from './grant';
import { loadProgram } from './program';
import { toReferralView } from './view';

/**
 * A refund of a referral's qualifying order, in the refund's transaction (the order row is
 * locked), before the order's own points are reversed. The referral is `reversed` once the
 * order is fully refunded or what is left of it falls below the program's `minOrderTotal`;
 * a smaller partial refund leaves it standing. Inside the hold nothing was given yet; after
 * the reward both sides' referral credits are reversed (debt or forgiveness per the refund
 * policy). Both customers are locked in id order before the referral row, like the jobs do.
 */
export async function reverseReferralForRefund(
  tx: Tx,
  ctx: VerbContext,
  order: { id: string; total: number },
  refundedTotal: number,
): Promise<void> {
  const m = ctx.merchant.id;
  const [found] = await tx
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.merchantId, m),
        eq(referrals.orderId, order.id),
        inArray(referrals.status, ['qualified', 'rewarded']),
      ),
    );
  if (!found?.referrerId) return;
  const program = await loadProgram(tx, m);
  const left = order.total - refundedTotal;
  if (left > 0 && left >= program.minOrderTotal) return;

  const locked = new Map<string, CustomerRow>();
  for (const id of [found.referrerId, found.refereeId].sort())
    locked.set(id, await lockCustomer(tx, ctx, id));
  const [referral] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.merchantId, m), eq(referrals.id, found.id)))
    .for('update');
  if (!referral || (referral.status !== 'qualified' && referral.status !== 'rewarded')) return;

  const now = ctx.clock.now();
  const reason = `refund of order ${order.id}`;
  if (referral.status === 'rewarded') {
    for (const id of [referral.referrerId!, referral.refereeId]) {
      await revokeReward(tx, ctx, locked.get(id)!, referral.id, reason);
    }
  }
  const [updated] = await tx
    .update(referrals)
    .set({ status: 'reversed', reversedAt: now })
    .where(and(eq(referrals.merchantId, m), eq(referrals.id, referral.id)))
    .returning();
  await recordEvent(
    tx,
    m,
    'referral.reversed',
    { ...toReferralView(updated!), wasRewarded: referral.status === 'rewarded' },
    now,
  );
}
