import type { surveyResponses } from '../../../db/schema';
import type { Segment, SurveyResponse } from './schemas';

export type SurveyResponseRow = typeof surveyResponses.$inferSelect;

/** NPS: promoter 9–10, passive 7–8, detractor 0–6. CSAT: satisfied 4–5, neutral 3, dissatisfied 1–2. */
export function segmentOf(kind: 'nps' | 'csat', score: number): Segment {
  if (kind === 'nps') return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
  return score >= 4 ? 'satisfied' : score === 3 ? 'neutral' : 'dissatisfied';
}

export function toSurveyResponseView(r: SurveyResponseRow): SurveyResponse {
  return {
    id: r.id,
    customerId: r.customerId,
    kind: r.kind,
    score: r.score,
    comment: r.comment,
    orderId: r.orderId,
    channel: r.channel,
    respondedAt: r.respondedAt.toISOString(),
    pointsEarned: r.pointsEarned,
    createdAt: r.createdAt.toISOString(),
  };
}
