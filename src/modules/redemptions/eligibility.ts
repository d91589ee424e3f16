import { and, eq, inArray, sql } from 'drizzle-orm';
import { redemptions, rewards } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { LimitReached, OutOfStock, RewardUnavailable, TierRequired } from '../../lib/errors';
import type { CustomerRow } from '../ledger/types';
import type { RewardRow } from '../rewards/view';
import { tierById, tierLadder } from '../tiers/ladder';

/** Statuses that count against a per-customer limit: everything but holds that ended and cancellations. */
const COUNTED = ['reserved', 'issued', 'used'] as const;

/**
 * Refuses a redemption the reward does not allow now, each with its own problem type:
 * inactive or outside its window, a tier below `minTier`, the per-customer limit reached.
 * The caller holds the customer's lock, so the count cannot change underneath.
 */
export async function assertEligible(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  reward: RewardRow,
): Promise<void> {
  const now = ctx.clock.now();
  if (!reward.active) throw new RewardUnavailable('The reward is not active.');
  if (reward.startsAt && reward.startsAt > now) {
    throw new RewardUnavailable(`The reward is available from ${reward.startsAt.toISOString()}.`);
  }
  if (reward.endsAt && reward.endsAt <= now) {
    throw new RewardUnavailable(`The reward ended at ${reward.endsAt.toISOString()}.`);
  }
  if (reward.minTier !== null) {
    const ladder = await tierLadder(tx, ctx.merchant);
    const required = ladder.find((t) => t.name.toLowerCase() === reward.minTier!.toLowerCase());
    const current = tierById(ladder, customer.tierId);
    // A tier that left the ladder cannot be reached: nobody qualifies until the reward is edited.
    if (!required || !current || current.rank < required.rank) {
      throw new TierRequired(reward.minTier, current?.name ?? null);
    }
  }
  if (reward.perCustomerLimit !== null) {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(redemptions)
      .where(
        and(
          eq(redemptions.merchantId, ctx.merchant.id),
          eq(redemptions.customerId, customer.id),
          eq(redemptions.rewardId, reward.id),
          inArray(redemptions.status, [...COUNTED]),
        ),
      );
    if ((row?.n ?? 0) >= reward.perCustomerLimit) throw new LimitReached(reward.perCustomerLimit);
  }
}

/**
 * Takes one unit of a limited reward with a conditional update, so concurrent redemptions
 * can never take more than there is. Unlimited rewards are not touched (so not locked);
 * returns whether a unit was taken, to be given back if the redemption ends unused.
 */
export async function takeStock(tx: Tx, ctx: VerbContext, reward: RewardRow): Promise<boolean> {
  if (reward.stock === null) return false;
  const [row] = await tx
    .update(rewards)
    .set({ stock: sql`${rewards.stock} - 1` })
    .where(
      and(
        eq(rewards.merchantId, ctx.merchant.id),
        eq(rewards.id, reward.id),
        sql`(${rewards.stock} is null or ${rewards.stock} > 0)`,
      ),
    )
    .returning({ stock: rewards.stock });
  if (!row) throw new OutOfStock();
  return row.stock !== null;
}

/** Gives back the unit of a limited reward when its redemption ends without being used. */
export async function restoreStock(tx: Tx, ctx: VerbContext, rewardId: string): Promise<void> {
  await tx
    .update(rewards)
    .set({ stock: sql`${rewards.stock} + 1` })
    .where(
      and(
        eq(rewards.merchantId, ctx.merchant.id),
        eq(rewards.id, rewardId),
        sql`${rewards.stock} is not null`,
      ),
    );
}
