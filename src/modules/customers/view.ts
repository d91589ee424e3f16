import { getTableColumns } from 'drizzle-orm';
import { customers, insightFactColumns } from '../../../db/schema';
import type { Customer } from './schemas';
import type { TierStanding } from './tier-progress';

/** A customer as the API shows it: every column but the insight facts (reports only). */
export type CustomerRow = Omit<typeof customers.$inferSelect, Fact>;

type Fact = (typeof insightFactColumns)[number];
const columns = getTableColumns(customers);
/** The select list of `CustomerRow`. */
export const customerColumns = Object.fromEntries(
  Object.entries(columns).filter(([key]) => !insightFactColumns.includes(key as Fact)),
) as Omit<typeof columns, Fact>;

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
