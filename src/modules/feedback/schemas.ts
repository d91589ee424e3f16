import { z } from '@hono/zod-openapi';
import { ExternalId, Instant } from '../../lib/validators';
import { LedgerEntry } from '../ledger/schemas';

/** NPS answers 0–10, CSAT answers 1–5. */
export const SCORE_RANGE = { nps: [0, 10], csat: [1, 5] } as const;

export const SurveyResponseInput = z
  .strictObject({
    id: ExternalId.openapi({ description: 'Your id for the answer; posting it again is idempotent.' }),
    customerId: ExternalId,
    kind: z.enum(['nps', 'csat']),
    score: z.number().int().openapi({ description: 'NPS: 0–10. CSAT: 1–5.' }),
    comment: z.string().max(10_000).optional(),
    orderId: ExternalId.optional().openapi({ description: 'The order the answer is about.' }),
    channel: z.string().min(1).max(64).optional().openapi({ example: 'email' }),
    respondedAt: Instant.optional().openapi({
      description: 'Defaults to now; may be in the past (imports).',
    }),
  })
  .superRefine((r, ctx) => {
    const [lo, hi] = SCORE_RANGE[r.kind];
    if (r.score < lo || r.score > hi) {
      ctx.addIssue({
        code: 'custom',
        path: ['score'],
        message: `must be an integer from ${lo} to ${hi} for ${r.kind}`,
      });
    }
  })
  .openapi('SurveyResponseInput');
export type SurveyResponseInput = z.infer<typeof SurveyResponseInput>;

export const Segment = z
  .enum(['promoter', 'passive', 'detractor', 'satisfied', 'neutral', 'dissatisfied'])
  .openapi('SatisfactionSegment', {
    description:
      'NPS: promoter (9–10), passive (7–8), detractor (0–6). CSAT: satisfied (4–5), neutral (3), dissatisfied (1–2).',
  });
export type Segment = z.infer<typeof Segment>;

export const SurveyResponse = z
  .object({
    id: z.string(),
    customerId: z.string(),
    kind: z.enum(['nps', 'csat']),
    score: z.number().int(),
    comment: z.string().nullable(),
    orderId: z.string().nullable(),
    channel: z.string().nullable(),
    respondedAt: z.string().datetime(),
    pointsEarned: z.number().int(),
    createdAt: z.string().datetime(),
  })
  .openapi('SurveyResponse');
export type SurveyResponse = z.infer<typeof SurveyResponse>;

export const ReferralInvite = z.object({ code: z.string(), link: z.string() }).openapi('ReferralInvite', {
  description: "The promoter's referral code and link, to invite them to refer.",
});
export type ReferralInvite = z.infer<typeof ReferralInvite>;

export const SurveyResponseResult = z
  .object({
    response: SurveyResponse,
    segment: Segment,
    awarded: z.array(LedgerEntry),
    referralInvite: ReferralInvite.optional(),
  })
  .openapi('SurveyResponseResult');
