import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';
import { createdAt, instant, merchantId } from './columns';

/** NPS (0–10) and CSAT (1–5) answers, idempotent on the merchant's id. */
export const surveyResponses = pgTable(
  'survey_responses',
  {
    merchantId: merchantId(),
    id: text().notNull(),
    customerId: text().notNull(),
    kind: text({ enum: ['nps', 'csat'] }).notNull(),
    score: smallint().notNull(),
    comment: text(),
    orderId: text(),
    channel: text(),
    respondedAt: instant().notNull(),
    requestHash: text().notNull(),
    pointsEarned: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.id] }),
    index('survey_responses_kind_time_idx').on(t.merchantId, t.kind, t.respondedAt),
    // Ends with id and score so a customer's answers in (time, id) order — their latest first or
    // last — are read from the index alone: the insights stream it for a million customers.
    index('survey_responses_customer_idx').on(
      t.merchantId,
      t.customerId,
      t.kind,
      t.respondedAt,
      t.id,
      t.score,
    ),
    // The service-recovery list reads the newest commented detractor answers; only those are indexed.
    index('survey_responses_detractor_comments_idx')
      .on(t.merchantId, t.respondedAt, t.id)
      .where(sql`${t.kind} = 'nps' and ${t.score} <= 6 and ${t.comment} is not null`),
    check(
      'survey_responses_score_range',
      sql`(${t.kind} = 'nps' and ${t.score} between 0 and 10) or (${t.kind} = 'csat' and ${t.score} between 1 and 5)`,
    ),
  ],
);
