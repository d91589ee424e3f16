import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, real, text } from 'drizzle-orm/pg-core';
import { createdAt, instant, merchantId, updatedAt } from './columns';

export type RuleReward =
  | { type: 'points_per_amount'; points: number; per: number; rounding: 'floor' | 'round' | 'ceil' }
  | { type: 'fixed'; points: number }
  | { type: 'multiplier'; factor: number };

export interface RuleLimits {
  perCustomer?: { count: number; period: 'day' | 'week' | 'month' | 'lifetime' };
  budget?: number;
}

/** Earning rules. Deleting one only marks it deleted: entries keep pointing at it. */
export const earningRules = pgTable(
  'earning_rules',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    name: text().notNull(),
    event: text().notNull(),
    condition: jsonb().$type<unknown>(),
    reward: jsonb().$type<RuleReward>().notNull(),
    limits: jsonb().$type<RuleLimits>(),
    startsAt: instant(),
    endsAt: instant(),
    priority: integer().notNull().default(0),
    stackable: boolean().notNull().default(true),
    pendingDays: integer(),
    applyTierMultiplier: boolean().notNull().default(true),
    active: boolean().notNull().default(true),
    budgetUsed: integer().notNull().default(0),
    deletedAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    index('earning_rules_event_idx').on(t.merchantId, t.event),
    check('earning_rules_budget_used', sql`${t.budgetUsed} >= 0`),
  ],
);

/** The tier ladder, replaced whole by `PUT /v1/tiers`. */
export const tiers = pgTable(
  'tiers',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    name: text().notNull(),
    rank: integer().notNull(),
    threshold: integer().notNull(),
    window: text({ enum: ['lifetime', 'rolling365'] }).notNull(),
    earnMultiplier: real().notNull().default(1),
    retiredAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.id] }), index('tiers_rank_idx').on(t.merchantId, t.rank)],
);
