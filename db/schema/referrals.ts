import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, instant, merchantId, updatedAt } from './columns';

/** A referral reward: points, or a reward from the catalog. */
export type ReferralReward = { points: number } | { rewardId: string };

/** One row per merchant: the referral program's settings. */
export const referralPrograms = pgTable('referral_programs', {
  merchantId: merchantId().primaryKey(),
  active: boolean().notNull().default(false),
  referrerReward: jsonb().$type<ReferralReward>(),
  refereeReward: jsonb().$type<ReferralReward>(),
  minOrderTotal: integer().notNull().default(0),
  holdDays: integer().notNull().default(14),
  attributionWindowDays: integer().notNull().default(30),
  /** At most this many rewarded referrals per referrer per period. */
  maxRewardedPerReferrer: jsonb().$type<{ count: number; period: 'month' | 'year' | 'lifetime' }>(),
  linkTemplate: text().notNull().default('https://example.com/?ref={code}'),
  updatedAt: updatedAt(),
});

/** One code per customer (vanity or generated), unique within the merchant. */
export const referralCodes = pgTable(
  'referral_codes',
  {
    merchantId: merchantId(),
    code: text().notNull(),
    customerId: text().notNull(),
    vanity: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.code] }),
    uniqueIndex('referral_codes_customer_key').on(t.merchantId, t.customerId),
  ],
);

/**
 * A referee attributed to a referrer's code. At most one live (not rejected) referral per
 * referee: the partial unique index makes "first valid touch wins" hold under concurrency.
 * Rejections are kept, with their reason, so every decision can be explained.
 */
export const referrals = pgTable(
  'referrals',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    code: text().notNull(),
    /** Null only for a rejection of a code that matched no customer (`code_inactive`). */
    referrerId: text(),
    refereeId: text().notNull(),
    status: text({ enum: ['pending', 'qualified', 'rewarded', 'rejected', 'reversed'] }).notNull(),
    reason: text(),
    /** The evidence the fraud checks looked at (hashes only, never raw addresses). */
    refereeEmailNormalized: text(),
    ipHash: text(),
    deviceHash: text(),
    paymentFingerprint: text(),
    /** The qualifying order. */
    orderId: text(),
    /** The order whose `referralCode` made this attribution (none when made by `POST /v1/referrals`). */
    attributedOrderId: text(),
    attributedAt: instant().notNull(),
    qualifiedAt: instant(),
    holdUntil: instant(),
    rewardedAt: instant(),
    reversedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    uniqueIndex('referrals_live_referee_key')
      .on(t.merchantId, t.refereeId)
      .where(sql`${t.status} <> 'rejected'`),
    index('referrals_referrer_idx').on(t.merchantId, t.referrerId, t.attributedAt),
    // A customer's own referral history, rejected attempts included (the live-referee key skips those).
    index('referrals_referee_idx').on(t.merchantId, t.refereeId, t.attributedAt),
    index('referrals_status_idx').on(t.merchantId, t.status, t.holdUntil),
    index('referrals_code_idx').on(t.merchantId, t.code),
    index('referrals_order_idx').on(t.merchantId, t.orderId),
    index('referrals_attributed_order_idx').on(t.merchantId, t.attributedOrderId),
  ],
);

/** Clicks on referral links, for the funnel. */
export const referralClicks = pgTable(
  'referral_clicks',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    code: text().notNull(),
    channel: text(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    index('referral_clicks_code_idx').on(t.merchantId, t.code, t.createdAt),
  ],
);
