import { and, eq, isNull } from 'drizzle-orm';
import { tiers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordConfigChange } from '../../lib/audit';
import type { Tx } from '../../lib/db';
import { type FieldError, ValidationFailed } from '../../lib/errors';
import type { RewardRow } from './view';

type RewardFields = Pick<
  RewardRow,
  'kind' | 'value' | 'currency' | 'productId' | 'minTier' | 'startsAt' | 'endsAt'
>;

/**
 * Every catalog change records who did what and bumps the merchant's `config_version`, in
 * the caller's transaction, like rule changes.
 */
export async function recordRewardChange(
  tx: Tx,
  ctx: VerbContext,
  entry: { action: string; rewardId: string; changes: Record<string, unknown> },
): Promise<void> {
  await recordConfigChange(tx, ctx, {
    action: entry.action,
    targetType: 'reward',
    targetId: entry.rewardId,
    changes: entry.changes,
  });
}

/**
 * Checks what the schema cannot see alone — `value`/`currency`/`productId` against the kind,
 * the window, the tier — on the merged reward (a PATCH changes one field of a pair). Returns
 * `minTier` as the tier's name: tiers keep their id while their name stays, so the name is
 * what a ladder change preserves.
 */
export async function checkReward(
  tx: Tx,
  ctx: VerbContext,
  r: RewardFields,
): Promise<{ minTier: string | null }> {
  const errors: FieldError[] = [];
  const currency = ctx.merchant.currency;
  const money = (required: boolean, what: string) => {
    if (r.value === null) {
      if (required) errors.push({ path: 'value', message: `is required for ${r.kind} (${what})` });
      if (r.currency !== null) errors.push({ path: 'currency', message: 'is only used with a value' });
    } else if (r.currency === null) {
      errors.push({ path: 'currency', message: `is required with a value (${currency})` });
    } else if (r.currency !== currency) {
      errors.push({ path: 'currency', message: `must be the merchant currency ${currency}` });
    }
  };
  switch (r.kind) {
    case 'discount_fixed':
    case 'store_credit':
      money(true, `minor units of ${currency}`);
      break;
    case 'discount_percent':
      if (r.value === null)
        errors.push({ path: 'value', message: 'is required for discount_percent (1–100)' });
      else if (r.value > 100) errors.push({ path: 'value', message: 'must be a percentage from 1 to 100' });
      if (r.currency !== null) errors.push({ path: 'currency', message: 'is not used by discount_percent' });
      break;
    case 'free_shipping':
      money(false, 'the shipping cost covered');
      break;
    case 'product':
      if (r.productId === null)
        errors.push({ path: 'productId', message: 'is required for product rewards' });
      money(false, 'the product price');
      break;
  }
  if (r.kind !== 'product' && r.productId !== null) {
    errors.push({ path: 'productId', message: 'is only used by product rewards' });
  }
  if (r.startsAt && r.endsAt && r.endsAt <= r.startsAt) {
    errors.push({ path: 'endsAt', message: `must be after startsAt (${r.startsAt.toISOString()})` });
  }
  let minTier: string | null = null;
  if (r.minTier !== null) {
    const ladder = await tx
      .select({ id: tiers.id, name: tiers.name })
      .from(tiers)
      .where(and(eq(tiers.merchantId, ctx.merchant.id), isNull(tiers.retiredAt)));
    const wanted = r.minTier.toLowerCase();
    const tier = ladder.find((t) => t.id === r.minTier || t.name.toLowerCase() === wanted);
    if (tier) minTier = tier.name;
    else errors.push({ path: 'minTier', message: 'is not a tier of this merchant (name or id)' });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return { minTier };
}
