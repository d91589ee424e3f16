import { sql } from 'drizzle-orm';
import {
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

export const merchants = pgTable(
  'merchants',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    currency: text().notNull(),
    timezone: text().notNull(),
    pointValuePoints: integer().notNull().default(100),
    pointValueAmount: integer().notNull().default(100),
    pendingDays: integer().notNull().default(0),
    expiryMode: text({ enum: ['none', 'fixed', 'inactivity'] })
      .notNull()
      .default('none'),
    expiryDays: integer(),
    refundPolicy: text({ enum: ['debt', 'forgive'] })
      .notNull()
      .default('debt'),
    storefrontRedemption: boolean().notNull().default(false),
    allowedOrigins: jsonb().$type<string[]>().notNull().default([]),
    /** Bumped on every configuration change so caches keyed by it never serve stale settings. */
    configVersion: integer().notNull().default(1),
    /**
     * The version (`kid`) of the key that signs customer tokens; the key itself is derived from
     * PLAUDIT_SECRET, so nothing secret is stored. Rotation bumps it; the previous version stays
     * valid for tokens issued before `tokenKeyRotatedAt`, until they expire.
     */
    tokenKeyVersion: integer().notNull().default(1),
    tokenKeyRotatedAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('merchants_point_value_positive', sql`${t.pointValuePoints} > 0 and ${t.pointValueAmount} >= 0`),
    check('merchants_pending_days_range', sql`${t.pendingDays} between 0 and 365`),
    check(
      'merchants_expiry_days',
      sql`(${t.expiryMode} = 'none') or (${t.expiryDays} is not null and ${t.expiryDays} > 0)`,
    ),
  ],
);

/**
 * API keys. Only an HMAC of the key is stored. The hash index is global: a key is looked up
 * before its merchant is known (in a distributed setup this is a small reference table).
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    kind: text({ enum: ['secret', 'publishable'] }).notNull(),
    scopes: jsonb().$type<string[]>().notNull().default([]),
    name: text(),
    prefix: text().notNull(),
    hash: text().notNull(),
    createdAt: createdAt(),
    revokedAt: instant(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    uniqueIndex('api_keys_hash_key').on(t.hash),
    index('api_keys_merchant_created_idx').on(t.merchantId, t.createdAt),
  ],
);

/** Who changed which configuration, when, and from what to what. */
export const auditLog = pgTable(
  'audit_log',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    actor: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    changes: jsonb().$type<Record<string, unknown>>(),
    requestId: text(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.id] })],
);
