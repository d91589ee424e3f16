import { and, eq } from 'drizzle-orm';
import { type ReferralReward, redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { InvalidState } from '../../lib/errors';
import { postCredits } from '../ledger/credit';
import { entriesOfSource } from '../ledger/entries-of-source';
import { reverseEntries } from '../ledger/reverse';
import type { CustomerRow } from '../ledger/types';
import { cancelRedemption } from '../redemptions/cancel-redemption';
import { issueRewardFree } from '../redemptions/issue-free';
import { upgradeTier } from '../tiers/upgrade-tier';

export type Side = 'referrer' | 'referee';

/**
 * Gives one side its referral reward, for a customer the caller has locked: points as a
 * `referral` credit (available at once; dedupe key `referral:<id>:<side>`, so it is posted once
 * whatever happens), or a catalog reward issued for free (idempotent per referral and customer).
 * Returns the points credited.
 */
export async function grantReward(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  referralId: string,
  side: Side,
  reward: ReferralReward,
): Promise<number> {
  if ('rewardId' in reward) {
    await issueRewardFree(tx, ctx, customer, reward.rewardId, { type: 'referral', id: referralId });
    return 0;
  }
  if (reward.points <= 0) return 0;
  const now = ctx.clock.now();
  const posted = await postCredits(tx, ctx, customer, [
    {
      kind: 'referral',
      points: reward.points,
      occurredAt: now,
      availableAt: now,
      sourceType: 'referral',
      sourceId: referralId,
      reason: `referral reward (${side})`,
      dedupeKey: `referral:${referralId}:${side}`,
    },
  ]);
  await upgradeTier(tx, ctx, posted.customer);
  return reward.points;
}

/**
 * Takes back what a referral gave a customer (locked by the caller): its `referral` credits are
 * reversed with `reverseEntries` (spent points become debt or are forgiven, per the merchant's
 * refund policy), and a free catalog reward is cancelled if its coupon is still unused.
 */
export async function revokeReward(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  referralId: string,
  reason: string,
): Promise<number> {
  const m = ctx.merchant.id;
  const credits = await entriesOfSource(
    tx,
    m,
    { type: 'referral', id: referralId },
    { kind: 'referral', customerId: customer.id },
  );
  const points = credits.reduce((s, e) => s + e.points, 0);
  if (credits.length > 0) {
    await reverseEntries(
      tx,
      ctx,
      customer,
      credits.map((entry) => ({ entry, points: entry.points })),
      { type: 'referral', id: referralId, reason },
    );
  }
  const [free] = await tx
    .select({ id: redemptions.id })
    .from(redemptions)
    .where(
      and(
        eq(redemptions.merchantId, m),
        eq(redemptions.sourceType, 'referral'),
        eq(redemptions.sourceId, referralId),
        eq(redemptions.customerId, customer.id),
        eq(redemptions.status, 'issued'),
      ),
    );
  if (free) {
    try {
      await cancelRedemption({ ...ctx, db: tx }, free.id);
    } catch (error) {
      // A coupon used meanwhile cannot be taken back; the referral is reversed all the same.
      if (!(error instanceof InvalidState)) throw error;
    }
  }
  return points;
}
