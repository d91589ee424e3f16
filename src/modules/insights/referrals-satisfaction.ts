import { sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query } from '../../lib/db';
import { iso, type Period, resolvePeriod, until, within } from './period';
import type { PeriodQuery, ReferralsSatisfactionReport } from './schemas';
import { inSnapshot } from './snapshot';
import { type Cell, correlationReport, lift, ratio, spearmanFromCells } from './stats';

const SEGMENTS = ['promoter', 'passive', 'detractor', 'none'] as const;
const RETENTION_DAYS = 90;

/** One row per segment and one per referred/organic group (GROUPING SETS); Spearman's cells on every row. */
interface GroupRow {
  by_segment: boolean;
  segment: (typeof SEGMENTS)[number] | null;
  referred: boolean | null;
  customers: number;
  referrers: number;
  referrals: number;
  qualified: number;
  revenue: number;
  nps_sum: number;
  nps_n: number;
  buyers: number;
  repeat_buyers: number;
  cohort: number;
  retained: number;
  order_total: number;
  orders: number;
  /** Customers with an NPS answer by (latest score, referrals made): Spearman's input. */
  cells: Cell[] | string;
}

/**
 * Referrals × satisfaction in ONE statement over one row of facts per customer: segment (latest NPS
 * answer at or before `to`), referrals made in the period and their referees' revenue, whether
 * the customer was referred, their orders in the period and their 90-day retention. See the
 * route's description for each figure.
 */
export async function referralsSatisfactionReport(
  ctx: VerbContext,
  q: PeriodQuery,
): Promise<ReferralsSatisfactionReport> {
  const p = resolvePeriod(ctx, q);
  const rows = await inSnapshot(ctx, (db) => query<GroupRow>(db, statement(ctx, p)));
  const segment = (s: string) => rows.find((r) => r.by_segment && r.segment === s);
  const segments = SEGMENTS.map((name) => {
    const r = segment(name);
    const customers = r?.customers ?? 0;
    return {
      segment: name,
      customers,
      referrers: r?.referrers ?? 0,
      referralRate: ratio(r?.referrers ?? 0, customers),
      referrals: r?.referrals ?? 0,
      referralsPerCustomer: ratio(r?.referrals ?? 0, customers),
      qualifiedReferrals: r?.qualified ?? 0,
      revenue: Number(r?.revenue ?? 0),
    };
  });
  const rate = (s: string) => {
    const r = segment(s);
    return r && r.customers > 0 ? r.referrers / r.customers : null;
  };
  const cohort = (referred: boolean) => {
    const c = rows.find((r) => !r.by_segment && r.referred === referred);
    return {
      customers: c?.customers ?? 0,
      avgNps: ratio(c?.nps_sum ?? 0, c?.nps_n ?? 0, 2),
      repeatPurchaseRate: ratio(c?.repeat_buyers ?? 0, c?.buyers ?? 0),
      retention90d: ratio(c?.retained ?? 0, c?.cohort ?? 0),
      averageOrderValue: ratio(Number(c?.order_total ?? 0), c?.orders ?? 0, 0),
    };
  };
  const raw = rows[0]?.cells ?? [];
  const cells = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Cell[];
  const n = cells.reduce((sum, c) => sum + c.count, 0);
  return {
    from: iso(p.from),
    to: iso(p.to),
    currency: ctx.merchant.currency,
    segments,
    promoterLift: lift(rate('promoter'), rate('detractor')),
    spearman: correlationReport(spearmanFromCells(cells), n),
    referredVsOrganic: { referred: cohort(true), organic: cohort(false) },
  };
}

function statement(ctx: VerbContext, p: Period) {
  const m = ctx.merchant.id;
  const asOf = (p.to ?? ctx.clock.now()).toISOString();
  const since = p.from ? sql`${p.from.toISOString()}::timestamptz` : sql`'-infinity'::timestamptz`;
  return sql`with
    latest as (
      select distinct on (customer_id) customer_id, score from survey_responses
      where merchant_id = ${m} and kind = 'nps' and ${until('responded_at', p)}
      order by customer_id, responded_at desc, id desc),
    made as (
      select referrer_id, referee_id, status from referrals
      where merchant_id = ${m} and status <> 'rejected' and ${within('attributed_at', p)}),
    by_referrer as (
      select referrer_id, count(*)::int as referrals,
        count(*) filter (where status in ('qualified', 'rewarded'))::int as qualified
      from made group by referrer_id),
    referred as (
      select distinct referee_id as id from referrals
      where merchant_id = ${m} and status <> 'rejected' and ${until('attributed_at', p)}),
    numbered as (
      select customer_id, paid_at, total,
        row_number() over (partition by customer_id order by paid_at, id) as nth
      from orders where merchant_id = ${m} and ${until('paid_at', p)}),
    ord as (
      select customer_id,
        count(*) filter (where paid_at >= ${since})::int as orders,
        coalesce(sum(total) filter (where paid_at >= ${since}), 0) as total,
        min(paid_at) filter (where nth = 1) as first_at,
        min(paid_at) filter (where nth = 2) as second_at
      from numbered group by customer_id),
    revenue as (
      -- Few referees among many customers: probe their orders by index.
      select r.referrer_id, sum(o.total - o.refunded_amount) as revenue
      from made r join orders o on o.merchant_id = ${m} and o.customer_id = r.referee_id and ${until('o.paid_at', p)}
      group by r.referrer_id),
    facts as (
      select l.score,
        case when l.score is null then 'none' when l.score >= 9 then 'promoter'
             when l.score >= 7 then 'passive' else 'detractor' end as segment,
        rd.id is not null as referred,
        coalesce(b.referrals, 0) as referrals, coalesce(b.qualified, 0) as qualified,
        coalesce(v.revenue, 0) as revenue,
        coalesce(o.orders, 0) as orders, coalesce(o.total, 0) as total,
        o.first_at >= ${since} and o.first_at <= ${asOf}::timestamptz - ${`${RETENTION_DAYS} days`}::interval as in_cohort,
        o.second_at <= o.first_at + ${`${RETENTION_DAYS} days`}::interval as came_back
      from customers c
      left join latest l on l.customer_id = c.id
      left join by_referrer b on b.referrer_id = c.id
      left join revenue v on v.referrer_id = c.id
      left join referred rd on rd.id = c.id
      left join ord o on o.customer_id = c.id
      where c.merchant_id = ${m}),
    cells as (
      select score as x, referrals as y, count(*)::int as count from facts
      where score is not null group by score, referrals)
    select grouping(segment) = 0 as by_segment, segment, referred,
      count(*)::int as customers, count(*) filter (where referrals > 0)::int as referrers,
      sum(referrals)::int as referrals, sum(qualified)::int as qualified, sum(revenue)::float8 as revenue,
      coalesce(sum(score), 0)::int as nps_sum, count(score)::int as nps_n,
      count(*) filter (where orders >= 1)::int as buyers, count(*) filter (where orders >= 2)::int as repeat_buyers,
      count(*) filter (where in_cohort)::int as cohort, count(*) filter (where in_cohort and came_back)::int as retained,
      sum(total)::float8 as order_total, sum(orders)::int as orders,
      (select coalesce(json_agg(cells), '[]') from cells) as cells
    from facts group by grouping sets ((segment), (referred))`;
}
