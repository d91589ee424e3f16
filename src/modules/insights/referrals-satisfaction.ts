import { type SQL, sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query } from '../../lib/db';
import { segmentOf } from '../feedback/view';
import { iso, outside, type Period, resolvePeriod, ts, until, within } from './period';
import type { PeriodQuery, ReferralsSatisfactionReport } from './schemas';
import { inSnapshot, PARALLEL_REPORT_SETTINGS, type ReportSource, scanOf } from './snapshot';
import { type Cell, correlationReport, lift, ratio, spearmanFromCells } from './stats';

const SEGMENTS = ['promoter', 'passive', 'detractor', 'none'] as const;
type Segment = (typeof SEGMENTS)[number];
const RETENTION_DAYS = 90;

/**
 * Customers who share a latest score, referred-or-not and a number of referrals made, with
 * their summed facts: a few dozen rows however many customers, from which the segments, the
 * cohorts and Spearman's cells are all added up.
 */
/** The orders of a period summed for referred and for organic customers. */
interface CohortOrders {
  referred: boolean;
  orders: number;
  total: number;
  /** Only when the facts could not tell (a period with an end). */
  buyers: number | null;
  repeat_buyers: number | null;
}

interface GroupRow {
  score: number | null;
  referred: boolean;
  referrals: number;
  customers: number;
  qualified: number;
  revenue: number;
  buyers: number;
  repeat_buyers: number;
  cohort: number;
  retained: number;
  order_total: number;
  orders: number;
}

// The NPS bands are the feedback module's; `none` is a customer without an answer.
const segmentOfScore = (score: number | null): Segment =>
  score === null ? 'none' : (segmentOf('nps', score) as Exclude<Segment, 'none'>);

/**
 * Referrals × satisfaction in ONE statement over one row of facts per customer: segment (latest NPS
 * answer at or before `to`), referrals made in the period and their referees' revenue, whether
 * the customer was referred, their orders in the period and their 90-day retention. See the
 * route's description for each figure.
 */
export async function referralsSatisfactionReport(
  ctx: VerbContext,
  q: PeriodQuery,
  source: ReportSource = 'auto',
): Promise<ReferralsSatisfactionReport> {
  const p = resolvePeriod(ctx, q);
  const { rows, periodOrders } = await inSnapshot(
    ctx,
    async (db) => {
      if (source === 'rows') return { rows: await query<GroupRow>(db, fromRows(ctx, p)), periodOrders: null };
      const mode = p.to ? await scanOf(db, ctx.merchant.id, p, source) : 'open';
      return {
        rows: await query<GroupRow>(db, fromFacts(ctx, p, mode)),
        // Reading the period's own orders, they are summed per cohort from the orders' time index.
        periodOrders:
          mode === 'inside' || (mode === 'open' && p.from)
            ? await query<CohortOrders>(db, cohortOrders(ctx, p))
            : null,
      };
    },
    PARALLEL_REPORT_SETTINGS,
  );
  const seg = new Map(
    SEGMENTS.map((s) => [s, { customers: 0, referrers: 0, referrals: 0, qualified: 0, revenue: 0 }]),
  );
  const zero = () => ({
    customers: 0,
    npsSum: 0,
    npsN: 0,
    buyers: 0,
    repeat: 0,
    cohort: 0,
    retained: 0,
    total: 0,
    orders: 0,
  });
  const cohorts = { referred: zero(), organic: zero() };
  const cells = new Map<string, Cell>();
  for (const r of rows) {
    const s = seg.get(segmentOfScore(r.score))!;
    s.customers += r.customers;
    s.referrers += r.referrals > 0 ? r.customers : 0;
    s.referrals += r.referrals * r.customers;
    s.qualified += r.qualified;
    s.revenue += Number(r.revenue);
    const c = r.referred ? cohorts.referred : cohorts.organic;
    c.customers += r.customers;
    c.buyers += r.buyers;
    c.repeat += r.repeat_buyers;
    c.cohort += r.cohort;
    c.retained += r.retained;
    c.total += Number(r.order_total);
    c.orders += r.orders;
    if (r.score !== null) {
      c.npsSum += r.score * r.customers;
      c.npsN += r.customers;
      const key = `${r.score}:${r.referrals}`;
      const cell = cells.get(key) ?? { x: r.score, y: r.referrals, count: 0 };
      cell.count += r.customers;
      cells.set(key, cell);
    }
  }
  const segments = SEGMENTS.map((name) => {
    const s = seg.get(name)!;
    return {
      segment: name,
      customers: s.customers,
      referrers: s.referrers,
      referralRate: ratio(s.referrers, s.customers),
      referrals: s.referrals,
      referralsPerCustomer: ratio(s.referrals, s.customers),
      qualifiedReferrals: s.qualified,
      revenue: s.revenue,
    };
  });
  const rate = (name: Segment) => {
    const s = seg.get(name)!;
    return s.customers > 0 ? s.referrers / s.customers : null;
  };
  const cohort = (c: ReturnType<typeof zero>) => ({
    customers: c.customers,
    avgNps: ratio(c.npsSum, c.npsN, 2),
    repeatPurchaseRate: ratio(c.repeat, c.buyers),
    retention90d: ratio(c.retained, c.cohort),
    averageOrderValue: ratio(c.total, c.orders, 0),
  });
  // The statement left these at 0 when the period's orders are read apart.
  for (const o of periodOrders ?? []) {
    const c = o.referred ? cohorts.referred : cohorts.organic;
    Object.assign(c, { total: Number(o.total), orders: o.orders });
    if (o.buyers !== null) Object.assign(c, { buyers: o.buyers, repeat: o.repeat_buyers });
  }
  const table = [...cells.values()];
  return {
    from: iso(p.from),
    to: iso(p.to),
    currency: ctx.merchant.currency,
    segments,
    promoterLift: lift(rate('promoter'), rate('detractor')),
    spearman: correlationReport(
      spearmanFromCells(table),
      table.reduce((sum, c) => sum + c.count, 0),
    ),
    referredVsOrganic: { referred: cohort(cohorts.referred), organic: cohort(cohorts.organic) },
  };
}

/**
 * One pass over the customers' insight facts, plus index scans of some rows.
 *  - Segment: the latest NPS, unless it came after `to`: then the latest answer at or before `to`
 *    of the customers who answered since.
 *  - Bought once or twice in the period: with an open end, the latest and second latest payments;
 *    with an end, the customer's order count minus their orders outside the period (`outside`,
 *    which also gives the cohorts' order sums), or, per cohort, `cohortOrders` (`inside`).
 *  - Retention: the first two payments (a second payment within 90 days of a first one at or
 *    before `to` − 90 days is itself at or before `to`).
 *  - Referees' revenue: their facts' net order total, less their orders after `to`; or (`inside`)
 *    their orders up to `to`.
 *  - Order sums: all time or `outside`, from the facts; otherwise from `cohortOrders`.
 * The per-customer sets (referrers, referees, late answerers, orders outside) are folded into one
 * row per customer, so the customers are joined once.
 */
function fromFacts(ctx: VerbContext, p: Period, mode: 'open' | 'inside' | 'outside') {
  const m = ctx.merchant.id;
  const since = p.from ? ts(p.from) : sql`'-infinity'::timestamptz`;
  const days = sql`${`${RETENTION_DAYS} days`}::interval`;
  const cohortEnd = sql`${ts(p.to ?? ctx.clock.now())} - ${days}`;
  const net = sql`sum(total - refunded_amount)::float8`;
  // Referees' revenue: their net order total, less their orders after `to` (`outside`: few such
  // orders), or their orders up to `to` looked up by referral (`inside`: few referrals).
  const revenue = {
    open: sql`left join (select id, orders_total - orders_refunded as revenue from customers where merchant_id = ${m}) e
        on e.id = r.referee_id`,
    inside: refereeOrders(m, p),
    outside: p.to
      ? sql`left join (select id, orders_total - orders_refunded as revenue from customers where merchant_id = ${m}) f
          on f.id = r.referee_id
        left join (select customer_id, ${net} as revenue from orders where merchant_id = ${m} and paid_at > ${ts(p.to)}
          group by customer_id) a on a.customer_id = r.referee_id
        cross join lateral (select f.revenue - coalesce(a.revenue, 0) as revenue) e`
      : sql``,
  }[mode];
  // Orders outside the period, one row each, counted per customer below.
  const orderRows =
    mode === 'outside'
      ? sql`union all select customer_id, 0, 0, 0, false, false, null, 1, total::float8 from orders
        where merchant_id = ${m} and ${outside('paid_at', p)}`
      : sql``;
  const lateAnswers = p.to
    ? sql`union all select l.customer_id, 0, 0, 0, false, true, a.score, 0, 0
        from (select distinct customer_id from survey_responses
              where merchant_id = ${m} and kind = 'nps' and responded_at > ${ts(p.to)}) l
        left join lateral (
          select score from survey_responses
          where merchant_id = ${m} and customer_id = l.customer_id and kind = 'nps' and responded_at <= ${ts(p.to)}
          order by responded_at desc, id desc limit 1) a on true`
    : sql``;
  const periodOrders = sql`c.orders_count - coalesce(t.orders, 0)`;
  const buying = {
    open: sql`count(*) filter (where c.last_order_at >= ${since})::int as buyers,
      count(*) filter (where c.previous_order_at >= ${since})::int as repeat_buyers`,
    // From `cohortOrders`: buying matters per cohort only.
    inside: sql`0 as buyers, 0 as repeat_buyers`,
    outside: sql`count(*) filter (where ${periodOrders} >= 1)::int as buyers,
      count(*) filter (where ${periodOrders} >= 2)::int as repeat_buyers`,
  }[mode];
  const sums =
    mode === 'outside' || (!p.from && !p.to)
      ? sql`coalesce(sum(c.orders_total - coalesce(t.order_total, 0)), 0)::float8 as order_total,
      coalesce(sum(c.orders_count - coalesce(t.orders, 0)), 0)::int as orders`
      : sql`0::float8 as order_total, 0 as orders`;
  return sql`with
    ${referralsMade(m, p, revenue)},
    touched as (
      select id, sum(referrals)::int as referrals, sum(qualified)::int as qualified, sum(revenue) as revenue,
        bool_or(referred) as referred, bool_or(later) as later, max(score) as score, sum(orders) as orders,
        sum(order_total) as order_total
      from (
        select referrer_id as id, referrals, qualified, revenue::float8, false as referred, false as later,
          null::smallint as score, 0 as orders, 0::float8 as order_total
        from by_referrer
        union all select referee_id, 0, 0, 0, true, false, null, 0, 0 from referrals
          where merchant_id = ${m} and status <> 'rejected' and ${until('attributed_at', p)}
        ${lateAnswers}
        ${orderRows}) u
      group by id)
    select ${p.to ? sql`case when t.later then t.score else c.latest_nps end` : sql`c.latest_nps`} as score,
      coalesce(t.referred, false) as referred, coalesce(t.referrals, 0) as referrals,
      count(*)::int as customers, coalesce(sum(t.qualified), 0)::int as qualified,
      coalesce(sum(t.revenue), 0)::float8 as revenue, ${buying},
      count(*) filter (where c.first_order_at >= ${since} and c.first_order_at <= ${cohortEnd})::int as cohort,
      count(*) filter (where c.first_order_at >= ${since} and c.first_order_at <= ${cohortEnd}
        and c.second_order_at <= c.first_order_at + ${days})::int as retained, ${sums}
    from customers c left join touched t on t.id = c.id
    where c.merchant_id = ${m}
    group by 1, 2, 3`;
}

/**
 * Orders paid in the period, counted and summed for referred and organic customers; with an end,
 * also the customers who bought once or more and twice or more (with an open end, the facts tell).
 */
function cohortOrders(ctx: VerbContext, p: Period) {
  const m = ctx.merchant.id;
  if (!p.to) {
    return sql`with ${referredQuery(m, p)}
      select rd.id is not null as referred, count(*)::int as orders, coalesce(sum(o.total), 0)::float8 as total,
        null as buyers, null as repeat_buyers
      from orders o left join referred rd on rd.id = o.customer_id
      where o.merchant_id = ${m} and ${within('o.paid_at', p)}
      group by 1`;
  }
  return sql`with ${referredQuery(m, p)},
    bought as (
      select customer_id, count(*) as n, sum(total) as total from orders
      where merchant_id = ${m} and ${within('paid_at', p)} group by customer_id)
    select rd.id is not null as referred, coalesce(sum(o.n), 0)::int as orders,
      coalesce(sum(o.total), 0)::float8 as total, count(*)::int as buyers,
      count(*) filter (where o.n >= 2)::int as repeat_buyers
    from bought o left join referred rd on rd.id = o.customer_id
    group by 1`;
}

/**
 * The referrals made in the period (not rejected) as `made`, and per referrer as `by_referrer`:
 * how many, how many qualified, and their referees' revenue from `revenue`, a join giving `e.revenue`
 * for each referral `r`.
 */
const referralsMade = (m: string, p: Period, revenue: SQL) => sql`made as (
      select referrer_id, referee_id, status from referrals
      where merchant_id = ${m} and status <> 'rejected' and ${within('attributed_at', p)}),
    by_referrer as (
      select r.referrer_id, count(*)::int as referrals,
        count(*) filter (where r.status in ('qualified', 'rewarded'))::int as qualified,
        coalesce(sum(e.revenue), 0) as revenue
      from made r ${revenue}
      group by r.referrer_id)`;

/** A referee's revenue from their orders up to `to`, probed by index (few referees among many customers). */
const refereeOrders = (m: string, p: Period) => sql`left join lateral (
    select sum(total - refunded_amount) as revenue from orders
    where merchant_id = ${m} and customer_id = r.referee_id and ${until('paid_at', p)}) e on true`;

/** Customers referred at or before the end of the period, as a CTE named `referred`. */
const referredQuery = (m: string, p: Period) => sql`referred as (
    select distinct referee_id as id from referrals
    where merchant_id = ${m} and status <> 'rejected' and ${until('attributed_at', p)})`;

/**
 * Any period, from the rows. Every per-customer input comes out of an index in customer order (answers by customer and
 * time, orders by customer and payment time), so the facts are streamed and merged without
 * sorting, and folded straight into the few groups above.
 */
function fromRows(ctx: VerbContext, p: Period) {
  const m = ctx.merchant.id;
  const asOf = (p.to ?? ctx.clock.now()).toISOString();
  const since = p.from ? sql`${p.from.toISOString()}::timestamptz` : sql`'-infinity'::timestamptz`;
  const days = sql`${`${RETENTION_DAYS} days`}::interval`;
  return sql`with
    answers as (
      select customer_id, score, lead(responded_at) over w is null as latest
      from survey_responses where merchant_id = ${m} and kind = 'nps' and ${until('responded_at', p)}
      window w as (partition by customer_id order by responded_at, id)),
    latest as (select customer_id, score from answers where latest),
    ${referralsMade(m, p, refereeOrders(m, p))},
    ${referredQuery(m, p)},
    numbered as (
      select customer_id, paid_at, total, row_number() over (partition by customer_id order by paid_at) as nth
      from orders where merchant_id = ${m} and ${until('paid_at', p)}),
    ord as (
      -- The first two payment times: only they decide retention (a tie is a return the same instant).
      select customer_id,
        count(*) filter (where paid_at >= ${since})::int as orders,
        coalesce(sum(total) filter (where paid_at >= ${since}), 0) as total,
        min(paid_at) as first_at, min(paid_at) filter (where nth = 2) as second_at
      from numbered group by customer_id),
    facts as (
      select l.score, rd.id is not null as referred, coalesce(b.referrals, 0) as referrals,
        coalesce(b.qualified, 0) as qualified, coalesce(b.revenue, 0) as revenue,
        coalesce(o.orders, 0) as orders, coalesce(o.total, 0) as total,
        o.first_at >= ${since} and o.first_at <= ${asOf}::timestamptz - ${days} as in_cohort,
        o.second_at <= o.first_at + ${days} as came_back
      from customers c
      left join latest l on l.customer_id = c.id
      left join by_referrer b on b.referrer_id = c.id
      left join referred rd on rd.id = c.id
      left join ord o on o.customer_id = c.id
      where c.merchant_id = ${m})
    select score, referred, referrals, count(*)::int as customers, sum(qualified)::int as qualified,
      sum(revenue)::float8 as revenue, count(*) filter (where orders >= 1)::int as buyers,
      count(*) filter (where orders >= 2)::int as repeat_buyers, count(*) filter (where in_cohort)::int as cohort,
      count(*) filter (where in_cohort and came_back)::int as retained, sum(total)::float8 as order_total,
      sum(orders)::int as orders
    from facts group by score, referred, referrals`;
}
