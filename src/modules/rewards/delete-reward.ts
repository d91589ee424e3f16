import { and, eq, inArray, sql } from 'drizzle-orm';
import { redemptions, rewards } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { recordRewardChange } from './catalog-change';
import { findReward } from './find-reward';
import { toRewardView } from './view';

/**
 * Soft delete: the reward reads as 404 and can no longer be redeemed; redemptions keep their
 * terms. While any redemption of it is still open (reserved, or issued and unused), it is
 * only deactivated, so those can still be committed, used or cancelled against a visible reward.
 */
export async function deleteReward(ctx: VerbContext, id: string): Promise<{ deactivated: boolean }> {
  return withTransaction(ctx.db, async (tx) => {
    const before = await findReward(tx, ctx.merchant.id, id, { forUpdate: true });
    const now = ctx.clock.now();
    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(redemptions)
      .where(
        and(
          eq(redemptions.merchantId, ctx.merchant.id),
          eq(redemptions.rewardId, id),
          inArray(redemptions.status, ['reserved', 'issued']),
        ),
      );
    const deactivated = (open?.n ?? 0) > 0;
    const [after] = await tx
      .update(rewards)
      .set(deactivated ? { active: false, updatedAt: now } : { deletedAt: now, updatedAt: now })
      .where(and(eq(rewards.merchantId, ctx.merchant.id), eq(rewards.id, id)))
      .returning();
    await recordRewardChange(tx, ctx, {
      action: deactivated ? 'reward.deactivated' : 'reward.deleted',
      rewardId: id,
      changes: { before: toRewardView(before), after: toRewardView(after!) },
    });
    return { deactivated };
  });
}
