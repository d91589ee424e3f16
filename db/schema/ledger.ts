import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, instant, merchantId } from './columns';

/**
 * The append-only ledger. An entry is never updated or deleted: corrections are new entries
 * pointing at what they correct (`correctsEntryId`). `dedupeKey` makes one source event award
 * once: a retry hits the unique index instead of writing twice.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    /** Write order; the ledger lists by it and keyset pagination uses it. */
    seq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    customerId: text().notNull(),
    kind: text({ enum: ['earn', 'redeem', 'expire', 'adjust', 'reverse', 'referral', 'import'] }).notNull(),
    points: integer().notNull(),
    /** The bucket the entry moved when written: `pending` entries belong to a not yet matured lot. */
    status: text({ enum: ['pending', 'available'] }).notNull(),
    availableAt: instant().notNull(),
    expiresAt: instant(),
    sourceType: text().notNull(),
    sourceId: text().notNull(),
    ruleId: text(),
    lotId: text(),
    correctsEntryId: text(),
    reason: text(),
    /** Points that went to settle debt instead of the balance (earnings), or were forgiven (reversals). */
    debtSettled: integer().notNull().default(0),
    forgiven: integer().notNull().default(0),
    balanceAfter: integer().notNull(),
    actor: text().notNull(),
    dedupeKey: text(),
    occurredAt: instant().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    uniqueIndex('ledger_entries_dedupe_key').on(t.merchantId, t.dedupeKey),
    index('ledger_entries_customer_seq_idx').on(t.merchantId, t.customerId, t.seq),
    index('ledger_entries_source_idx').on(t.merchantId, t.sourceType, t.sourceId),
    index('ledger_entries_rule_customer_idx').on(t.merchantId, t.ruleId, t.customerId, t.occurredAt),
    index('ledger_entries_merchant_created_idx').on(t.merchantId, t.createdAt),
    index('ledger_entries_merchant_seq_idx').on(t.merchantId, t.seq),
    // A period's flows by kind and its active customers, read from the index alone (insights).
    index('ledger_entries_merchant_occurred_idx').on(
      t.merchantId,
      t.occurredAt,
      t.customerId,
      t.kind,
      t.points,
      t.forgiven,
    ),
    check(
      'ledger_entries_points_nonzero',
      sql`${t.points} <> 0 or ${t.forgiven} > 0 or ${t.debtSettled} > 0`,
    ),
  ],
);

/**
 * Earned lots: what is left of each earning, consumed first-to-expire-first. A lot is
 * `pending` until `availableAt`; the maturity job (or the next write for that customer) makes
 * it available.
 */
export const lots = pgTable(
  'lots',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    customerId: text().notNull(),
    entryId: text().notNull(),
    points: integer().notNull(),
    remaining: integer().notNull(),
    matured: boolean().notNull(),
    availableAt: instant().notNull(),
    expiresAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    index('lots_customer_spendable_idx')
      .on(t.merchantId, t.customerId, t.expiresAt, t.id)
      .where(sql`${t.remaining} > 0 and ${t.matured}`),
    index('lots_maturing_idx').on(t.merchantId, t.availableAt).where(sql`not ${t.matured}`),
    index('lots_expiring_idx').on(t.merchantId, t.expiresAt).where(sql`${t.remaining} > 0 and ${t.matured}`),
    index('lots_entry_idx').on(t.merchantId, t.entryId),
    check(
      'lots_remaining_bounds',
      sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.points} and ${t.points} > 0`,
    ),
  ],
);

/** Paid orders as the shop sent them; the source of order earnings and their refunds. */
export const orders = pgTable(
  'orders',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    customerId: text().notNull(),
    total: bigint({ mode: 'number' }).notNull(),
    currency: text().notNull(),
    items: text().notNull().default('[]'),
    channel: text(),
    referralCode: text(),
    paidAt: instant().notNull(),
    requestHash: text().notNull(),
    pointsEarned: integer().notNull().default(0),
    refundedAmount: bigint({ mode: 'number' }).notNull().default(0),
    pointsReversed: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    // With the total, each customer's orders in payment order are read from the index alone (insights).
    index('orders_customer_paid_idx').on(t.merchantId, t.customerId, t.paidAt, t.total),
    // A period's orders with their customer and total, from the index alone (insights).
    index('orders_merchant_paid_idx').on(t.merchantId, t.paidAt, t.customerId, t.total),
    check('orders_refund_bounds', sql`${t.refundedAmount} >= 0 and ${t.refundedAmount} <= ${t.total}`),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    orderId: text().notNull(),
    amount: bigint({ mode: 'number' }).notNull(),
    items: text(),
    requestHash: text().notNull(),
    pointsReversed: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    index('refunds_order_idx').on(t.merchantId, t.orderId),
  ],
);

/**
 * Reviews, shares, custom events and other ingested activities, idempotent on the merchant's
 * id within their type.
 */
export const activities = pgTable(
  'activities',
  {
    merchantId: merchantId(),
    type: text().notNull(),
    id: text().notNull(),
    customerId: text().notNull(),
    payload: text().notNull(),
    requestHash: text().notNull(),
    occurredAt: instant().notNull(),
    pointsEarned: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.type, t.id] }),
    index('activities_customer_idx').on(t.merchantId, t.customerId, t.type, t.occurredAt),
  ],
);
