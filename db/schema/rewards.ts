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
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, instant, merchantId, updatedAt } from './columns';

export const REWARD_KINDS = [
  'discount_fixed',
  'discount_percent',
  'free_shipping',
  'product',
  'store_credit',
] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export const REDEMPTION_STATUSES = [
  'reserved',
  'issued',
  'used',
  'released',
  'expired',
  'cancelled',
] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/** What a coupon gives, copied onto the redemption when issued: later catalog edits do not change it. */
export interface RewardTerms {
  name: string;
  kind: RewardKind;
  value: number | null;
  currency: string | null;
  productId: string | null;
}

/**
 * The rewards catalog. `stock` null means unlimited; it is decremented by a conditional
 * update (`stock > 0`), so concurrent redemptions never oversell. `minTier` is a tier name,
 * matched case-insensitively against the live ladder (tier ids follow names, see tiers).
 */
export const rewards = pgTable(
  'rewards',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    name: text().notNull(),
    description: text(),
    kind: text({ enum: REWARD_KINDS }).notNull(),
    /** Minor units (fixed, store credit, shipping cap, product price) or a percentage 1–100. */
    value: bigint({ mode: 'number' }),
    currency: text(),
    productId: text(),
    costPoints: integer().notNull(),
    minTier: text(),
    stock: integer(),
    perCustomerLimit: integer(),
    startsAt: instant(),
    endsAt: instant(),
    active: boolean().notNull().default(true),
    deletedAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    check('rewards_cost_positive', sql`${t.costPoints} > 0`),
    check('rewards_stock_non_negative', sql`${t.stock} is null or ${t.stock} >= 0`),
    check('rewards_limit_positive', sql`${t.perCustomerLimit} is null or ${t.perCustomerLimit} > 0`),
  ],
);

/**
 * One redemption of a reward by a customer. A `reserved` one holds its points until
 * `expiresAt`; every transition is a conditional update on `status`, under the customer's
 * lock, so each step happens at most once. `source*` is set for rewards granted for free
 * (e.g. a referral) and makes such a grant idempotent per source and customer.
 */
export const redemptions = pgTable(
  'redemptions',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    customerId: text().notNull(),
    rewardId: text().notNull(),
    status: text({ enum: REDEMPTION_STATUSES }).notNull(),
    pointsSpent: integer().notNull(),
    terms: jsonb().$type<RewardTerms>().notNull(),
    couponCode: text(),
    orderId: text(),
    /** Reservations only: when the hold lapses. */
    expiresAt: instant(),
    /** A unit of the reward's stock was taken: it goes back if the redemption ends unused. */
    stockTaken: boolean().notNull().default(false),
    /** The `redeem` entry that took the points (null for free grants). */
    debitEntryId: text(),
    sourceType: text(),
    sourceId: text(),
    issuedAt: instant(),
    usedAt: instant(),
    /** When the points went back: released, expired or cancelled. */
    resolvedAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    uniqueIndex('redemptions_coupon_code_key')
      .on(t.merchantId, t.couponCode)
      .where(sql`${t.couponCode} is not null`),
    uniqueIndex('redemptions_source_key')
      .on(t.merchantId, t.sourceType, t.sourceId, t.customerId)
      .where(sql`${t.sourceType} is not null`),
    index('redemptions_customer_idx').on(t.merchantId, t.customerId, t.id),
    index('redemptions_customer_reward_idx').on(t.merchantId, t.customerId, t.rewardId),
    index('redemptions_reward_status_idx').on(t.merchantId, t.rewardId, t.status),
    index('redemptions_reserved_idx').on(t.merchantId, t.expiresAt).where(sql`${t.status} = 'reserved'`),
    check('redemptions_points_non_negative', sql`${t.pointsSpent} >= 0`),
  ],
);

/** Codes uploaded for a reward; `redemptionId` is set when one is handed out. */
export const couponCodes = pgTable(
  'coupon_codes',
  {
    merchantId: merchantId(),
    code: text().notNull(),
    rewardId: text().notNull(),
    redemptionId: text(),
    takenAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.code] }),
    index('coupon_codes_free_idx').on(t.merchantId, t.rewardId, t.code).where(sql`${t.redemptionId} is null`),
    index('coupon_codes_reward_idx').on(t.merchantId, t.rewardId),
  ],
);
