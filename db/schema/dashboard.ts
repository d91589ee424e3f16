import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, merchantId } from './columns';

/**
 * Dashboard sign-ins. The cookie carries `merchant.session.secret`; only an HMAC of the secret
 * is stored, so a copy of this table signs nobody in. A session ends at `expires_at`, after
 * `idle` inactivity (checked against `last_seen_at`), at sign-out (row deleted), or when the
 * admin key it was opened with is revoked.
 */
export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    secretHash: text().notNull(),
    apiKeyId: text().notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    index('dashboard_sessions_merchant_expires_idx').on(t.merchantId, t.expiresAt),
  ],
);
