import type { VerbContext } from '../../deps';
import { StorefrontRedemptionDisabled } from '../../lib/errors';
import { redeemReward } from '../redemptions/redeem-reward';
import type { RedemptionRow } from '../redemptions/view';

/**
 * `POST /v1/me/redemptions`: the signed-in customer spends their own points, only where the
 * merchant allows storefront redemption. Issues at once (no reservation from a browser).
 */
export async function redeemForCustomer(
  ctx: VerbContext,
  customerId: string,
  input: { rewardId: string },
): Promise<RedemptionRow> {
  if (!ctx.merchant.storefrontRedemption) throw new StorefrontRedemptionDisabled();
  return redeemReward(ctx, { customerId, rewardId: input.rewardId, mode: 'issue' });
}
