import { type SQL, sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query } from '../../lib/db';
import { iso, outside, type Period, resolvePeriod, ts, until, within } from './period';
import type { PeriodQuery, ProgramReport } from './schemas';
import { inSnapshot, PARALLEL_REPORT_SETTINGS, type ReportSource, scanOf } from './snapshot';
import { pointsValue, ratio } from './stats';

interface Row {
  available: number;
  pending: number;
  reserved: number;
  earned: number;
  reversed: number;
  redeemed: number;
  expired: number;
  adjusted: number;
  active_members: number;
  member_buyers: number;
  member_repeat: number;
  other_buyers: number;
  other_repeat: number;
  codes: number;
  shares: number;
  clicks: number;
  attributed: number;
  qualified: number;
  rewarded: number;
  customer_base: number;
}

/** Program KPIs from the ledger (the source of truth) and the referral tables; see the route for definitions. */
export async function programReport(
  ctx: VerbContext,
  q: PeriodQuery,
  source: ReportSource = 'auto',
): Promise<ProgramReport> {
  const p = resolvePeriod(ctx, q);
  const [r] = await inSnapshot(
    ctx,
    async (db) => {
      if (source === 'rows') return query<Row>(db, fromRows(ctx, p));
      const mode = p.to ? await scanOf(db, ctx.merchant.id, p, source) : 'open';
      return query<Row>(db, fromFacts(ctx, p, mode));
    },
    PARALLEL_REPORT_SETTINGS,
  );
  const row = r!;
  const value = { points: ctx.merchant.pointValuePoints, amount: ctx.merchant.pointValueAmount };
  const points = {
    available: row.available,
    pending: row.pending,
    total: row.available + row.pending,
    reserved: row.reserved,
  };
  const issued = row.earned - row.reversed;
  return {
    from: iso(p.from),
    to: iso(p.to),
    liability: {
      points,
      amount: {
        available: pointsValue(points.available, value),
        pending: pointsValue(points.pending, value),
        total: pointsValue(points.total, value),
        reserved: pointsValue(points.reserved, value),
      },
      currency: ctx.merchant.currency,
    },
    issued,
    reversed: row.reversed,
    redeemed: row.redeemed,
    expired: row.expired,
    adjusted: row.adjusted,
    redemptionRate: issued > 0 ? ratio(row.redeemed, issued) : null,
    breakage: issued > 0 ? ratio(row.expired, issued) : null,
    activeMembers: row.active_members,
    repeatPurchaseRate: {
      members: ratio(row.member_repeat, row.member_buyers),
      nonMembers: ratio(row.other_repeat, row.other_buyers),
    },
    funnel: {
      codes: row.codes,
      shares: row.shares,
      clicks: row.clicks,
      attributed: row.attributed,
      qualified: row.qualified,
      rewarded: row.rewarded,
    },
    kFactor: ratio(row.attributed, row.customer_base),
  };
}

const EARNING = sql`kind in ('earn', 'referral', 'import')`;
const sinceOf = (p: Period) =>
  p.from ? sql`${p.from.toISOString()}::timestamptz` : sql`'-infinity'::timestamptz`;

/** The flows by kind of the entries whose time meets `when`, from the ledger's (merchant, time) index alone. */
const flowsOf = (m: string, when: SQL) => sql`
  select coalesce(sum(points) filter (where ${EARNING}), 0)::float8 as earned,
    coalesce(sum(forgiven - points) filter (where kind = 'reverse'), 0)::float8 as reversed,
    coalesce(-sum(points) filter (where kind = 'redeem'), 0)::float8 as redeemed,
    coalesce(-sum(points) filter (where kind = 'expire'), 0)::float8 as expired,
    coalesce(sum(points) filter (where kind = 'adjust'), 0)::float8 as adjusted
  from ledger_entries where merchant_id = ${m} and ${when}`;

/**
 * One pass over the customers' insight facts, plus index range scans of some rows.
 *  - Balances, members (first earning at or before `to`) and the customer base (first payment at
 *    or before `to`) are facts.
 *  - Open end: activity is the latest entry since `from`; buying once or twice since `from`, the
 *    latest and second latest payments; flows are the facts' sums (all time) or the period's
 *    entries.
 *  - With an end, `inside`: who was active and who bought come from the period's entries and
 *    orders; `outside`: a customer's entries and orders in the period are their counts minus
 *    those outside it, and the flows are the facts' sums minus the flows outside it.
 */
function fromFacts(ctx: VerbContext, p: Period, mode: 'open' | 'inside' | 'outside') {
  const m = ctx.merchant.id;
  const since = sinceOf(p);
  const member = p.to ? sql`first_earned_at <= ${ts(p.to)}` : sql`first_earned_at is not null`;
  const buyer = p.to ? sql`first_order_at <= ${ts(p.to)}` : sql`first_order_at is not null`;
  const perCustomer = (table: string, when: SQL, name: string) =>
    sql`left join (select customer_id, count(*) as n from ${sql.raw(table)}
      where merchant_id = ${m} and ${when} group by customer_id) ${sql.raw(name)} on ${sql.raw(name)}.customer_id = c.id`;
  // A customer's orders in a closed period.
  const orders = mode === 'inside' ? sql`coalesce(po.n, 0)` : sql`c.orders_count - coalesce(oo.n, 0)`;
  const buying =
    mode === 'open'
      ? sql`count(*) filter (where ${member} and last_order_at >= ${since})::int as member_buyers,
        count(*) filter (where ${member} and previous_order_at >= ${since})::int as member_repeat,
        count(*) filter (where not ${member} and last_order_at >= ${since})::int as other_buyers,
        count(*) filter (where not ${member} and previous_order_at >= ${since})::int as other_repeat`
      : sql`count(*) filter (where ${member} and ${orders} >= 1)::int as member_buyers,
        count(*) filter (where ${member} and ${orders} >= 2)::int as member_repeat,
        count(*) filter (where (${member}) is not true and ${orders} >= 1)::int as other_buyers,
        count(*) filter (where (${member}) is not true and ${orders} >= 2)::int as other_repeat`;
  const active = {
    open: sql`count(*) filter (where last_entry_at >= ${since})::int`,
    inside: sql`(select count(*)::int from (select distinct customer_id from ledger_entries
      where merchant_id = ${m} and ${within('occurred_at', p)}) a)`,
    outside: sql`count(*) filter (where c.entries_count - coalesce(oe.n, 0) > 0)::int`,
  }[mode];
  const joins = {
    open: () => sql``,
    inside: () => perCustomer('orders', within('paid_at', p), 'po'),
    outside: () => sql`${perCustomer('orders', outside('paid_at', p), 'oo')}
      ${perCustomer('ledger_entries', outside('occurred_at', p), 'oe')}`,
  }[mode]();
  const facts = sql`select coalesce(sum(available), 0)::float8 as available,
      coalesce(sum(pending), 0)::float8 as pending, coalesce(sum(reserved), 0)::float8 as reserved,
      count(*) filter (where ${buyer})::int as customer_base, ${buying}, ${active} as active_members,
      coalesce(sum(entries_earned), 0)::float8 as earned,
      coalesce(sum(entries_reversed), 0)::float8 as reversed, coalesce(sum(entries_redeemed), 0)::float8 as redeemed,
      coalesce(sum(entries_expired), 0)::float8 as expired, coalesce(sum(entries_adjusted), 0)::float8 as adjusted
    from customers c ${joins}
    where c.merchant_id = ${m}`;
  // All-time flows are the facts' sums; a period's, its entries' or the sums minus the entries outside it.
  const flows = ['earned', 'reversed', 'redeemed', 'expired', 'adjusted'].map((name) => {
    const k = sql.raw(name);
    if (!p.from && !p.to) return sql`f.${k}`;
    return mode === 'outside' ? sql`f.${k} - o.${k} as ${k}` : sql`o.${k}`;
  });
  const flowRows =
    !p.from && !p.to
      ? sql``
      : sql`, (${flowsOf(m, mode === 'outside' ? outside('occurred_at', p) : within('occurred_at', p))}) o`;
  return sql`select f.available, f.pending, f.reserved, f.customer_base, f.member_buyers, f.member_repeat,
      f.other_buyers, f.other_repeat, f.active_members, ${sql.join(flows, sql`, `)}, funnel.*
    from (${facts}) f${flowRows}, (${funnelQuery(m, p)}) funnel`;
}

/** Any period, from the rows: one pass over the ledger up to the end of the period. */
function fromRows(ctx: VerbContext, p: Period) {
  const m = ctx.merchant.id;
  const since = sinceOf(p);
  return sql`with balances as (
      select coalesce(sum(available), 0)::float8 as available, coalesce(sum(pending), 0)::float8 as pending,
        coalesce(sum(reserved), 0)::float8 as reserved
      from customers where merchant_id = ${m}),
    per_customer as (
      select customer_id, bool_or(occurred_at >= ${since}) as active, bool_or(${EARNING}) as member
      from ledger_entries where merchant_id = ${m} and ${until('occurred_at', p)}
      group by customer_id),
    activity as (select count(*) filter (where active)::int as active_members from per_customer),
    buyers as (
      select customer_id, count(*) filter (where paid_at >= ${since}) as orders
      from orders where merchant_id = ${m} and ${until('paid_at', p)} group by customer_id),
    repeat as (
      select count(*) filter (where pc.member and b.orders >= 1)::int as member_buyers,
        count(*) filter (where pc.member and b.orders >= 2)::int as member_repeat,
        count(*) filter (where pc.member is not true and b.orders >= 1)::int as other_buyers,
        count(*) filter (where pc.member is not true and b.orders >= 2)::int as other_repeat,
        count(*)::int as customer_base
      from buyers b left join per_customer pc on pc.customer_id = b.customer_id),
    funnel as (${funnelQuery(m, p)})
    select * from balances, (${flowsOf(m, within('occurred_at', p))}) flows, activity, repeat, funnel`;
}

/** The referral funnel's six counts over a period, as one row. */
function funnelQuery(m: string, p: Period) {
  return sql`select
      (select count(*) from referral_codes where merchant_id = ${m} and ${within('created_at', p)})::int as codes,
      (select count(*) from activities where merchant_id = ${m} and type = 'share' and ${within('occurred_at', p)})::int as shares,
      (select count(*) from referral_clicks where merchant_id = ${m} and ${within('created_at', p)})::int as clicks,
      count(*)::int as attributed,
      count(*) filter (where status in ('qualified', 'rewarded'))::int as qualified,
      count(*) filter (where status = 'rewarded')::int as rewarded
    from referrals where merchant_id = ${m} and status <> 'rejected' and ${within('attributed_at', p)}`;
}

/** The referral funnel alone (codes → shares → clicks → attributed → qualified → rewarded), as in the program report. */
export async function referralFunnel(ctx: VerbContext, q: PeriodQuery): Promise<ProgramReport['funnel']> {
  const [row] = await query<ProgramReport['funnel']>(
    ctx.db,
    funnelQuery(ctx.merchant.id, resolvePeriod(ctx, q)),
  );
  return row!;
}
