import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { customers, surveyResponses } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { type Executor, prepared } from '../../lib/db';

/** How many answers the service-recovery list shows. */
export const DETRACTOR_COMMENTS_LIMIT = 20;

export interface DetractorComment {
  id: string;
  customerId: string;
  customerName: string | null;
  score: number;
  comment: string;
  respondedAt: Date;
}

// The NPS/score/comment conditions are literal SQL, not parameters, so that even a generic plan of
// the prepared statement can use the partial index survey_responses_detractor_comments_idx. The
// customer is read per answer through a LIMITed lateral subquery: a primary-key probe for each of
// the (at most 20) answers, whatever the planner believes about the tables (PGlite never analyzes).
const newest = (db: Executor) => {
  const customer = db
    .select({ name: customers.name })
    .from(customers)
    .where(
      and(
        eq(customers.merchantId, surveyResponses.merchantId),
        eq(customers.id, surveyResponses.customerId),
        // An erased customer's words are not put in front of staff for follow-up.
        isNull(customers.erasedAt),
      ),
    )
    .limit(1)
    .as('customer');
  return db
    .select({
      id: surveyResponses.id,
      customerId: surveyResponses.customerId,
      customerName: customer.name,
      score: surveyResponses.score,
      comment: sql<string>`${surveyResponses.comment}`,
      respondedAt: surveyResponses.respondedAt,
    })
    .from(surveyResponses)
    .innerJoinLateral(customer, sql`true`)
    .where(
      and(
        eq(surveyResponses.merchantId, sql.placeholder('merchantId')),
        sql`${surveyResponses.kind} = 'nps' and ${surveyResponses.score} <= 6
          and ${surveyResponses.comment} is not null and btrim(${surveyResponses.comment}) <> ''`,
        sql`${surveyResponses.respondedAt} >= ${sql.placeholder('from')}::timestamptz`,
        sql`${surveyResponses.respondedAt} <= ${sql.placeholder('to')}::timestamptz`,
      ),
    )
    .orderBy(desc(surveyResponses.respondedAt), desc(surveyResponses.id))
    .limit(DETRACTOR_COMMENTS_LIMIT)
    .prepare('detractor_comments');
};

/**
 * The service-recovery list: the merchant's newest NPS answers scored 0–6 that carry a comment,
 * within [from, to] (both inclusive, open when null), newest first.
 */
export async function listDetractorComments(
  ctx: VerbContext,
  period: { from: Date | null; to: Date | null },
): Promise<DetractorComment[]> {
  const rows = await prepared(ctx.db, 'detractor_comments', newest).execute({
    merchantId: ctx.merchant.id,
    from: period.from?.toISOString() ?? '-infinity',
    to: period.to?.toISOString() ?? 'infinity',
  });
  return rows.map((r) => ({ ...r, respondedAt: new Date(r.respondedAt) }));
}
