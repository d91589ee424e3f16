import { and, eq } from 'drizzle-orm';
import { rewards } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { checkReward, recordRewardChange } from './catalog-change';
import { findReward } from './find-reward';
import type { UpdateRewardInput } from './schemas';
import { type RewardRow, toRewardView } from './view';

/**
 * Applies a partial change and revalidates the merged reward. Redemptions already made keep
 * the terms they were issued with. A `minTier` not sent is kept as is, even if that tier
 * has since left the ladder.
 */
export async function updateReward(
  ctx: VerbContext,
  id: string,
  patch: UpdateRewardInput,
): Promise<RewardRow> {
  return withTransaction(ctx.db, async (tx) => {
    const before = await findReward(tx, ctx.merchant.id, id, { forUpdate: true });
    const fields = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    ) as Partial<RewardRow>;
    const merged = { ...before, ...fields };
    const { minTier } = await checkReward(tx, ctx, {
      ...merged,
      minTier: patch.minTier !== undefined ? patch.minTier : null,
    });
    const [after] = await tx
      .update(rewards)
      .set({
        ...fields,
        ...(patch.minTier !== undefined && { minTier }),
        updatedAt: ctx.clock.now(),
      })
      .where(and(eq(rewards.merchantId, ctx.merchant.id), eq(rewards.id, id)))
      .returning();
    await recordRewardChange(tx, ctx, {
      action: 'reward.updated',
      rewardId: id,
      changes: { before: toRewardView(before), after: toRewardView(after!), patch },
    });
    return after!;
  });
}
