import { defineRoute, json } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { programReport } from './program';
import { referralsSatisfactionReport } from './referrals-satisfaction';
import { satisfactionReport } from './satisfaction';
import {
  PeriodQuery,
  ProgramReport,
  ReferralsSatisfactionReport,
  SatisfactionQuery,
  SatisfactionReport,
} from './schemas';

const common =
  "`from`/`to` are inclusive and default to all time (a bare date is a whole local day in the merchant's " +
  'time zone). Rates (`referralRate`, `redemptionRate`, `breakage`, `repeatPurchaseRate`, `retention90d`, ' +
  '`kFactor`) are fractions 0…1 rounded to 4 decimals; NPS is in points and CSAT in percent, 2 decimals; money is ' +
  "in the merchant's minor units, rounded half up to an integer. Every figure is computed from exact counts and " +
  'rounded once, at the end (half away from zero); an undefined figure (nothing to divide by) is null.';

export function insightRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/insights/satisfaction',
      tags: ['Insights'],
      summary: 'NPS and CSAT, overall and by period',
      description:
        `${common}\n\n**NPS** counts each customer's LATEST NPS answer within [from, to] (greatest \`respondedAt\`, ` +
        'ties by greatest id): `respondents` customers, of whom `promoters` (9–10), `passives` (7–8), `detractors` ' +
        '(0–6); `responses` counts every NPS answer in the period. `score` = 100 × (promoters − detractors) / ' +
        'respondents; `marginOfError` (95%) = 1.96 × 100 × √(((p + d) − (p − d)²) / n), p and d the promoter and ' +
        'detractor fractions, n the respondents.\n\n**CSAT** counts every CSAT answer (1–5) and every review ' +
        '(`POST /v1/reviews`, rating 1–5, at its time) in the period as one signal each; `score` = 100 × signals ' +
        'rated 4–5 / signals. `surveys` and `reviews` split `responses`.\n\n**series**: one bucket per local ' +
        "`interval` (`date_trunc` of the time in the merchant's time zone; weeks start on Monday) from the first to " +
        'the last bucket of the period (or of the data, for an open end), empty buckets included with null scores. ' +
        "Each bucket's NPS uses each customer's latest answer within that bucket. At most 1000 buckets.",
      request: { query: SatisfactionQuery },
      responses: { 200: json(SatisfactionReport, 'The report') },
    }),
    async (c) => c.json(await satisfactionReport(verbContext(c), c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/insights/referrals-satisfaction',
      tags: ['Insights'],
      summary: 'How referring moves with satisfaction',
      description:
        `${common}\n\n**segments**: every customer of the merchant, by their latest NPS answer at or before \`to\` ` +
        '(`none`: no answer). "Referrals made" are referrals attributed to the customer\'s code in [from, to] whose ' +
        'status is not `rejected`. `referrers` = customers with ≥ 1 referral made; `referralRate` = referrers / ' +
        'customers; `referrals` = referrals made; `referralsPerCustomer` = referrals / customers; ' +
        '`qualifiedReferrals` = referrals made now `qualified` or `rewarded`; `revenue` = Σ (total − refunded ' +
        'amount) of every order paid at or before `to` by the referees of those referrals. `promoterLift` = ' +
        "promoters' referralRate / detractors' referralRate (null when either is undefined or the latter is 0)." +
        '\n\n**spearman**: over customers with an NPS answer at or before `to`: x = latest score, y = referrals ' +
        "made; ρ is Pearson's r of the average ranks (ties share the mean rank), null for n < 2 or no variation; " +
        '`ciLow`/`ciHigh` = tanh(atanh(ρ) ± 1.96 / √(n − 3)) (Fisher z), null when n ≤ 3.\n\n**referredVsOrganic**: ' +
        '`referred` = customers who are the referee of a referral attributed at or before `to` that is not ' +
        'rejected; `organic` = every other customer. `avgNps` = mean latest NPS score (at or before `to`) of those ' +
        'with one; `repeatPurchaseRate` = customers with ≥ 2 orders paid in [from, to] / customers with ≥ 1; ' +
        '`retention90d` = among customers whose first order ever was paid in [from, asOf − 90 days] (asOf = `to`, ' +
        'or now), the share with another order paid within 90 days after it; `averageOrderValue` = Σ totals / ' +
        'number of orders paid in [from, to] (refunds not deducted), minor units.',
      request: { query: PeriodQuery },
      responses: { 200: json(ReferralsSatisfactionReport, 'The report') },
    }),
    async (c) => c.json(await referralsSatisfactionReport(verbContext(c), c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/insights/program',
      tags: ['Insights'],
      summary: 'Program KPIs: liability, flows, funnel, K-factor',
      description:
        `${common}\n\n**liability**: the points customers hold now (not as of \`to\`): \`available\`, \`pending\` ` +
        'and `total` = available + pending; `reserved` (held by open reservations) is reported apart and not in ' +
        "`total`. `amount` values each figure at the merchant's `pointValue` (points × amount / points), rounded " +
        'half up to a minor unit on its own.\n\nFlows count ledger entries whose `occurredAt` is in [from, to]: ' +
        '`issued` = points credited by `earn`, `referral` and `import` entries minus points clawed back by ' +
        '`reverse` entries (`reversed`, reported apart); `redeemed` = −Σ points of `redeem` entries: points spent, ' +
        'net of points given back by cancelled, released or expired redemptions (positive `redeem` entries); `expired` = points of `expire` ' +
        'entries; `adjusted` = net manual adjustments (not in `issued`). `redemptionRate` = redeemed / issued; ' +
        '`breakage` = expired / issued (null when issued ≤ 0). `activeMembers` = customers with a ledger entry in ' +
        'the period. `repeatPurchaseRate`: among customers with ≥ 1 order paid in the period, the share with ≥ 2, ' +
        'for members (customers who earned points at or before `to`) and non-members.\n\n**funnel**: `codes` ' +
        'referral codes created, `shares` shares recorded, `clicks` referral-link clicks, `attributed` referrals ' +
        'attributed (not rejected), of which `qualified` (now `qualified` or `rewarded`) and `rewarded`, all in ' +
        'the period. **kFactor** = attributed / customers with at least one order paid at or before `to` (the ' +
        'customer base that could refer): new customers brought per existing customer in the period, i.e. ' +
        'invitations per customer × conversion per invitation.',
      request: { query: PeriodQuery },
      responses: { 200: json(ProgramReport, 'The report') },
    }),
    async (c) => c.json(await programReport(verbContext(c), c.req.valid('query')), 200),
  );

  return router;
}
