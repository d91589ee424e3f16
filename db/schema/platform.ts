import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, merchantId } from './columns';

/**
 * Idempotency-Key records. The `in_flight` marker is committed on its own so concurrent
 * retries see it; the switch to `done` with the stored response is written in the same
 * transaction as the change the request made.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    merchantId: merchantId(),
    key: text().notNull(),
    requestHash: text().notNull(),
    status: text({ enum: ['in_flight', 'done'] }).notNull(),
    responseStatus: integer(),
    responseBody: text(),
    responseContentType: text(),
    lockedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.key] }),
    index('idempotency_keys_merchant_created_idx').on(t.merchantId, t.createdAt),
  ],
);

/** Fixed-window request counters, shared by every instance (Node processes or Workers isolates). */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    merchantId: merchantId(),
    bucket: text().notNull(),
    windowStart: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
    hits: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.bucket, t.windowStart] })],
);

/** Transactional outbox: a domain event is written in the transaction that caused it. */
export const events = pgTable(
  'events',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    type: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    index('events_merchant_type_created_idx').on(t.merchantId, t.type, t.createdAt),
  ],
);
