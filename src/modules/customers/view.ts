import type { customers } from '../../../db/schema';
import type { Customer } from './schemas';
import type { TierStanding } from './tier-progress';

export type CustomerRow = typeof customers.$inferSelect;

/**
 * The API shape of a customer. `due` pending points (their `availableAt` has passed, no
 * job has run yet) read as available already — settling debt first, as maturing will.
 */
export function toCustomerView(
  r: CustomerRow & { due?: number },
  standing: TierStanding = { tier: null, nextTier: null },
): Customer {
  const due = r.due ?? 0;
  const settled = Math.min(due, r.debt);
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    birthday: r.birthday,
    tags: r.tags,
    marketingConsent: r.marketingConsent,
    points: {
      available: r.available + due - settled,
      pending: r.pending - due,
      reserved: r.reserved,
      lifetimeEarned: r.lifetimeEarned,
      lifetimeRedeemed: r.lifetimeRedeemed,
      lifetimeExpired: r.lifetimeExpired,
      debt: r.debt - settled,
    },
    tier: standing.tier,
    nextTier: standing.nextTier,
    referralCode: r.referralCode,
    referredBy: r.referredBy,
    latestNps: r.latestNps,
    erased: r.erasedAt !== null,
    createdAt: (r.signedUpAt ?? r.createdAt).toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
