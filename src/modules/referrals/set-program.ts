import { referralPrograms } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordConfigChange } from '../../lib/audit';
import { type Tx, withTransaction } from '../../lib/db';
import { type FieldError, NotFound, ValidationFailed } from '../../lib/errors';
import { findReward } from '../rewards/find-reward';
import { loadProgram, type Program } from './program';
import type { ReferralProgramInput, ReferralRewardInput } from './schemas';

/**
 * Replaces the referral program's settings. Catalog rewards must exist (not deleted). Audited,
 * and the merchant's `config_version` is bumped, like every configuration change.
 */
export async function setReferralProgram(ctx: VerbContext, input: ReferralProgramInput): Promise<Program> {
  return withTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    await assertRewardsExist(tx, ctx, input);
    const before = await loadProgram(tx, ctx.merchant.id);
    const values = {
      active: input.active,
      referrerReward: reward(input.referrerReward),
      refereeReward: reward(input.refereeReward),
      minOrderTotal: input.minOrderTotal,
      holdDays: input.holdDays,
      attributionWindowDays: input.attributionWindowDays,
      maxRewardedPerReferrer: input.maxRewardedPerReferrer ?? null,
      linkTemplate: input.linkTemplate,
      updatedAt: now,
    };
    await tx
      .insert(referralPrograms)
      .values({ merchantId: ctx.merchant.id, ...values })
      .onConflictDoUpdate({ target: referralPrograms.merchantId, set: values });
    const { updatedAt: _before, ...old } = before;
    const { updatedAt: _after, ...next } = values;
    await recordConfigChange(tx, ctx, {
      action: 'referral_program.updated',
      targetType: 'referral_program',
      changes: { before: old, after: next },
    });
    return values;
  });
}

const reward = (r: ReferralRewardInput) =>
  r.rewardId !== undefined ? { rewardId: r.rewardId } : { points: r.points ?? 0 };

async function assertRewardsExist(tx: Tx, ctx: VerbContext, input: ReferralProgramInput): Promise<void> {
  const errors: FieldError[] = [];
  for (const side of ['referrerReward', 'refereeReward'] as const) {
    const rewardId = input[side].rewardId;
    if (rewardId === undefined) continue;
    try {
      await findReward(tx, ctx.merchant.id, rewardId);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      errors.push({ path: `${side}.rewardId`, message: 'is not a reward in the catalog' });
    }
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
}
