import type { customers } from '../../../db/schema';
import type { Customer } from './schemas';

export type CustomerRow = typeof customers.$inferSelect;

export function toCustomerView(r: CustomerRow, tier: { id: string; name: string } | null = null): Customer {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    birthday: r.birthday,
    tags: r.tags,
    marketingConsent: r.marketingConsent,
    points: {
      available: r.available,
      pending: r.pending,
      reserved: r.reserved,
      lifetimeEarned: r.lifetimeEarned,
      lifetimeRedeemed: r.lifetimeRedeemed,
      lifetimeExpired: r.lifetimeExpired,
      debt: r.debt,
    },
    tier,
    referralCode: r.referralCode,
    referredBy: r.referredBy,
    latestNps: r.latestNps,
    erased: r.erasedAt !== null,
    createdAt: (r.signedUpAt ?? r.createdAt).toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
