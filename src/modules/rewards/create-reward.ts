import { rewards } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { newId } from '../../lib/ids';
import { checkReward, recordRewardChange } from './catalog-change';
import type { CreateRewardInput } from './schemas';
import { type RewardRow, toRewardView } from './view';

export async function createReward(ctx: VerbContext, input: CreateRewardInput): Promise<RewardRow> {
  const values = {
    ...input,
    description: input.description ?? null,
    value: input.value ?? null,
    currency: input.currency ?? null,
    productId: input.productId ?? null,
    minTier: input.minTier ?? null,
    stock: input.stock ?? null,
    perCustomerLimit: input.perCustomerLimit ?? null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
  };
  const now = ctx.clock.now();
  return withTransaction(ctx.db, async (tx) => {
    const { minTier } = await checkReward(tx, ctx, values);
    const [row] = await tx
      .insert(rewards)
      .values({
        merchantId: ctx.merchant.id,
        id: newId('reward', now),
        ...values,
        minTier,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordRewardChange(tx, ctx, {
      action: 'reward.created',
      rewardId: row!.id,
      changes: { after: toRewardView(row!) },
    });
    return row!;
  });
}
