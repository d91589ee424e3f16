import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
} from 'drizzle-orm/pg-core';
import { createdAt, instant, merchantId, points, updatedAt } from './columns';

/**
 * A merchant's customer, addressed by the merchant's own id, with the materialised balance.
 * The balance columns are only ever changed in the same statement or transaction as the
 * ledger entries that explain them; the CHECKs are the last guard against a negative balance.
 */
export const customers = pgTable(
  'customers',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    email: text(),
    /** Lower-cased, `+tag` removed, Gmail dots removed: used to detect self-referrals. */
    emailNormalized: text(),
    name: text(),
    birthday: text(),
    tags: jsonb().$type<string[]>().notNull().default([]),
    marketingConsent: boolean().notNull().default(false),
    /** When the customer was created at the shop (may predate Plaudit). */
    signedUpAt: instant(),
    erasedAt: instant(),

    available: points(),
    pending: points(),
    reserved: points(),
    lifetimeEarned: points(),
    lifetimeRedeemed: points(),
    lifetimeExpired: points(),
    debt: points(),

    ordersCount: integer().notNull().default(0),
    tierId: text(),
    tierSince: instant(),
    referralCode: text(),
    referredBy: text(),
    latestNps: smallint(),
    latestNpsAt: instant(),
    lastActivityAt: instant(),

    /*
     * Insight facts: the customer's ledger and orders summed up as the program and referral
     * reports count them, kept in the same statements that write the entries and the orders (see
     * `applyChange` and `recordOrder`), so an open-ended report reads one row per customer
     * instead of every entry. `occurredAt` and `paidAt` may be backdated, hence the least/greatest.
     */
    firstEntryAt: instant(),
    lastEntryAt: instant(),
    /** How many entries the customer has. */
    entriesCount: integer().notNull().default(0),
    /** The first entry of an earning kind (earn, referral, import): a member from then on. */
    firstEarnedAt: instant(),
    /** Σ points of earning entries; Σ (forgiven − points) of reversals; −Σ of redemptions and expiries; Σ of adjustments. */
    entriesEarned: points(),
    entriesReversed: points(),
    entriesRedeemed: points(),
    entriesExpired: points(),
    entriesAdjusted: points(),
    /** The two earliest and the two latest payment times (a tie counts twice), and the order totals. */
    firstOrderAt: instant(),
    secondOrderAt: instant(),
    previousOrderAt: instant(),
    lastOrderAt: instant(),
    ordersTotal: bigint({ mode: 'number' }).notNull().default(0),
    ordersRefunded: bigint({ mode: 'number' }).notNull().default(0),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    check(
      'customers_balance_non_negative',
      sql`${t.available} >= 0 and ${t.pending} >= 0 and ${t.reserved} >= 0 and ${t.debt} >= 0`,
    ),
    check(
      'customers_lifetime_non_negative',
      sql`${t.lifetimeEarned} >= 0 and ${t.lifetimeRedeemed} >= 0 and ${t.lifetimeExpired} >= 0`,
    ),
    index('customers_merchant_email_idx').on(t.merchantId, t.emailNormalized),
    index('customers_merchant_tier_idx').on(t.merchantId, t.tierId, t.id),
    // Dashboard search by the start of an email or name: ranges in the "C" collation are
    // plain byte ranges, so a prefix is one index range scan in any database collation.
    index('customers_merchant_email_search_idx').on(t.merchantId, sql`lower(${t.email}) collate "C"`),
    index('customers_merchant_name_search_idx').on(t.merchantId, sql`lower(${t.name}) collate "C"`),
  ],
);

/** The insight facts' columns: written by SQL and read by the reports, never needed by the app's verbs. */
export const insightFactColumns = [
  'firstEntryAt',
  'lastEntryAt',
  'firstEarnedAt',
  'entriesCount',
  'entriesEarned',
  'entriesReversed',
  'entriesRedeemed',
  'entriesExpired',
  'entriesAdjusted',
  'firstOrderAt',
  'secondOrderAt',
  'previousOrderAt',
  'lastOrderAt',
  'ordersTotal',
  'ordersRefunded',
] as const satisfies readonly (keyof typeof customers.$inferSelect)[];
