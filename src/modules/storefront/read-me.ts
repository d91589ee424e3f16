import type { VerbContext } from '../../deps';
import { tierStanding } from '../customers/tier-progress';
import { toCustomerView } from '../customers/view';
import { linkFor, loadProgram } from '../referrals/program';
import { expiringPoints } from './expiring-points';
import { ownCustomer } from './own-customer';
import type { Me } from './schemas';
import { toMeView } from './view';

/** `GET /v1/me`: balance, tier and progress, points about to lapse, the referral link. */
export async function readMe(ctx: VerbContext, customerId: string): Promise<Me> {
  const row = await ownCustomer(ctx, customerId);
  const customer = toCustomerView(row, await tierStanding(ctx, row));
  const [expiring, program] = await Promise.all([
    expiringPoints(ctx, row, customer.points.available),
    customer.referralCode ? loadProgram(ctx.db, ctx.merchant.id) : null,
  ]);
  const referralLink = program && customer.referralCode ? linkFor(program, customer.referralCode) : null;
  return toMeView(customer, {
    expiring,
    referralLink,
    storefrontRedemption: ctx.merchant.storefrontRedemption,
  });
}
