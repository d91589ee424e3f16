import { and, desc, eq } from 'drizzle-orm';
import { activities, surveyResponses } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { SurveyResponseRow } from '../feedback/view';

export interface CustomerReview {
  id: string;
  rating: number;
  productId: string | null;
  text: string | null;
  verifiedPurchase: boolean;
  hasPhoto: boolean;
  pointsEarned: number;
  occurredAt: Date;
}

/**
 * A customer's latest survey answers (NPS and CSAT) and reviews, newest first, at most `limit`
 * of each. Each read is one range of the (merchant, customer, …) feedback indexes.
 */
export async function customerFeedback(
  ctx: VerbContext,
  customerId: string,
  limit = 20,
): Promise<{ answers: SurveyResponseRow[]; reviews: CustomerReview[] }> {
  // Two independent index ranges: sent together, they cost one wait.
  const [answers, rows] = await Promise.all([
    ctx.db
      .select()
      .from(surveyResponses)
      .where(and(eq(surveyResponses.merchantId, ctx.merchant.id), eq(surveyResponses.customerId, customerId)))
      .orderBy(desc(surveyResponses.respondedAt), desc(surveyResponses.id))
      .limit(limit),
    ctx.db
      .select()
      .from(activities)
      .where(
        and(
          eq(activities.merchantId, ctx.merchant.id),
          eq(activities.customerId, customerId),
          eq(activities.type, 'review'),
        ),
      )
      .orderBy(desc(activities.occurredAt), desc(activities.id))
      .limit(limit),
  ]);
  return { answers, reviews: rows.map(toReview) };
}

function toReview(row: typeof activities.$inferSelect): CustomerReview {
  // The payload is the review as posted (ReviewInput without id, customer and time).
  const p = JSON.parse(row.payload) as Record<string, unknown>;
  return {
    id: row.id,
    rating: Number(p.rating),
    productId: typeof p.productId === 'string' ? p.productId : null,
    text: typeof p.text === 'string' ? p.text : null,
    verifiedPurchase: p.verifiedPurchase === true,
    hasPhoto: p.hasPhoto === true,
    pointsEarned: row.pointsEarned,
    occurredAt: row.occurredAt,
  };
}
