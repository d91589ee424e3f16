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
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, instant, merchantId, updatedAt } from './columns';

/** One send of a delivery, as the delivery log shows it. */
export interface WebhookAttempt {
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * Where a merchant wants events sent. The signing secret is kept in clear because signing
 * needs it; after a rotation the previous secret keeps signing until `previousSecretExpiresAt`.
 * Deleting only marks the endpoint deleted so its delivery log stays readable.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    url: text().notNull(),
    description: text(),
    /** Event types, or `['*']` for every type. */
    events: text().array().notNull(),
    secret: text().notNull(),
    previousSecret: text(),
    previousSecretExpiresAt: instant(),
    enabled: boolean().notNull().default(true),
    disabledReason: text({ enum: ['manual', 'gone'] }),
    /** Events created from this time on fan out to the endpoint (creation or last re-enable). */
    receivingSince: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
    deletedAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.id] })],
);

/**
 * One event for one endpoint. The unique (endpoint, event) pair makes fan-out idempotent;
 * `next_attempt_at` is both the retry schedule and the lease of a runner sending it.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    eventId: text().notNull(),
    eventType: text().notNull(),
    endpointId: text().notNull(),
    status: text({ enum: ['pending', 'succeeded', 'failed'] }).notNull(),
    attempts: jsonb().$type<WebhookAttempt[]>().notNull().default([]),
    attemptCount: integer().notNull().default(0),
    nextAttemptAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    uniqueIndex('webhook_deliveries_endpoint_event_idx').on(t.merchantId, t.endpointId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.merchantId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check('webhook_deliveries_schedule', sql`(${t.status} = 'pending') = (${t.nextAttemptAt} is not null)`),
  ],
);

/**
 * How far each merchant's outbox has been fanned out to deliveries: every event created at or
 * before `fannedOutUntil` has been considered. The position trails the newest event seen by a
 * safety lag, so a transaction that commits a little after its event's timestamp is not skipped.
 */
export const webhookOutboxCursors = pgTable('webhook_outbox_cursors', {
  merchantId: merchantId().primaryKey(),
  fannedOutUntil: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: updatedAt(),
});
