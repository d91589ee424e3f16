import { z } from '@hono/zod-openapi';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const validDate = (s: string) => {
  if (DATE.test(s)) {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }
  return DATE_TIME.test(s) && !Number.isNaN(new Date(s).getTime());
};

const Bound = (which: 'from' | 'to') =>
  z
    .string()
    .refine(validDate, 'must be an ISO 8601 date (YYYY-MM-DD) or date-time with an offset')
    .optional()
    .openapi({
      param: { name: which, in: 'query' },
      description:
        which === 'from'
          ? "Start of the period, inclusive. A date means local midnight in the merchant's time zone. Default: all time."
          : "End of the period, inclusive. A date means the whole local day in the merchant's time zone. Default: no end.",
      example: which === 'from' ? '2025-01-01' : '2025-12-31T23:59:59Z',
    });

export const PeriodQuery = z.object({ from: Bound('from'), to: Bound('to') });
export type PeriodQuery = z.infer<typeof PeriodQuery>;

export const SatisfactionQuery = PeriodQuery.extend({
  interval: z
    .enum(['day', 'week', 'month'])
    .default('month')
    .openapi({
      param: { name: 'interval', in: 'query' },
      description: 'Series buckets (weeks start on Monday).',
    }),
});
export type SatisfactionQuery = z.infer<typeof SatisfactionQuery>;

const Nps = z
  .object({
    score: z
      .number()
      .nullable()
      .openapi({ description: 'Points, −100…100, 2 decimals; null with no respondents.' }),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    respondents: z.number().int().openapi({ description: 'Customers with an NPS answer in the period.' }),
    responses: z.number().int().openapi({ description: 'All NPS answers in the period.' }),
    marginOfError: z.number().nullable().openapi({ description: '95%, in points, 2 decimals.' }),
  })
  .openapi('NpsSummary');

const Csat = z
  .object({
    score: z.number().nullable().openapi({ description: 'Percent of 4–5 ratings, 2 decimals.' }),
    responses: z.number().int().openapi({ description: 'CSAT answers plus reviews.' }),
    satisfied: z.number().int(),
    surveys: z.number().int(),
    reviews: z.number().int(),
  })
  .openapi('CsatSummary');

export const SatisfactionReport = z
  .object({
    from: z.string().datetime().nullable(),
    to: z.string().datetime().nullable(),
    nps: Nps,
    csat: Csat,
    series: z.array(
      z.object({
        period: z
          .string()
          .openapi({ description: 'Local date the bucket starts on (YYYY-MM-DD).', example: '2025-03-01' }),
        start: z.string().datetime(),
        nps: Nps,
        csat: Csat,
      }),
    ),
  })
  .openapi('SatisfactionReport');
export type SatisfactionReport = z.infer<typeof SatisfactionReport>;

const SegmentRow = z.object({
  segment: z.enum(['promoter', 'passive', 'detractor', 'none']),
  customers: z.number().int(),
  referrers: z.number().int(),
  referralRate: z.number().nullable(),
  referrals: z.number().int(),
  referralsPerCustomer: z.number().nullable(),
  qualifiedReferrals: z.number().int(),
  revenue: z.number().int(),
});

const Cohort = z.object({
  customers: z.number().int(),
  avgNps: z.number().nullable(),
  repeatPurchaseRate: z.number().nullable(),
  retention90d: z.number().nullable(),
  averageOrderValue: z.number().int().nullable(),
});

export const ReferralsSatisfactionReport = z
  .object({
    from: z.string().datetime().nullable(),
    to: z.string().datetime().nullable(),
    currency: z.string(),
    segments: z.array(SegmentRow),
    promoterLift: z.number().nullable(),
    spearman: z.object({
      rho: z.number().nullable(),
      ciLow: z.number().nullable(),
      ciHigh: z.number().nullable(),
      n: z.number().int(),
    }),
    referredVsOrganic: z.object({ referred: Cohort, organic: Cohort }),
  })
  .openapi('ReferralsSatisfactionReport');
export type ReferralsSatisfactionReport = z.infer<typeof ReferralsSatisfactionReport>;

const PointsAndMoney = z.object({
  available: z.number().int(),
  pending: z.number().int(),
  total: z.number().int(),
  reserved: z.number().int().openapi({ description: 'Held by open reservations; not in `total`.' }),
});

export const ProgramReport = z
  .object({
    from: z.string().datetime().nullable(),
    to: z.string().datetime().nullable(),
    liability: z.object({ points: PointsAndMoney, amount: PointsAndMoney, currency: z.string() }),
    issued: z.number().int(),
    reversed: z.number().int(),
    redeemed: z.number().int(),
    expired: z.number().int(),
    adjusted: z.number().int(),
    redemptionRate: z.number().nullable(),
    breakage: z.number().nullable(),
    activeMembers: z.number().int(),
    repeatPurchaseRate: z.object({ members: z.number().nullable(), nonMembers: z.number().nullable() }),
    funnel: z.object({
      codes: z.number().int(),
      shares: z.number().int(),
      clicks: z.number().int(),
      attributed: z.number().int(),
      qualified: z.number().int(),
      rewarded: z.number().int(),
    }),
    kFactor: z.number().nullable(),
  })
  .openapi('ProgramReport');
export type ProgramReport = z.infer<typeof ProgramReport>;
