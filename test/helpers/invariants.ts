import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../src/lib/db';

export interface Violation {
  customer_id: string;
  check: string;
  expected: number;
  actual: number;
}

/**
 * The ledger invariants, checked independently of the code that maintains them:
 * - available − debt = Σ entries in the available bucket (pending-bucket entries count once their lot matured)
 * - pending = Σ pending-bucket entries of unmatured lots = Σ remaining of unmatured lots
 * - available = Σ remaining of matured lots
 * - lifetime earned / expired = their entries; lifetimeRedeemed = −Σ redeem entries, where a
 *   redemption's points given back (release, expiry, cancel) are a POSITIVE redeem entry
 * - each such return points at a redeem debit of the same customer and never exceeds it
 * - reserved = Σ points of the customer's open (`reserved`) redemptions
 * (non-negative balances and 0 ≤ remaining ≤ points are CHECK constraints.)
 */
export async function ledgerViolations(db: Executor, merchantId: string): Promise<Violation[]> {
  const rows = await query<Violation>(
    db,
    sql`with e as (
          select e.customer_id,
            sum(case when e.status = 'available' or l.matured then e.points else 0 end) as net,
            sum(case when e.status = 'pending' and not coalesce(l.matured, true) then e.points else 0 end) as pending,
            sum(case when e.kind in ('earn', 'referral', 'import') then e.points
                     when e.kind = 'reverse' then e.points - e.forgiven else 0 end) as earned,
            sum(case when e.kind = 'redeem' then -e.points else 0 end) as redeemed,
            sum(case when e.kind = 'expire' then -e.points else 0 end) as expired
          from ledger_entries e
          left join lots l on l.merchant_id = e.merchant_id and l.id = e.lot_id
          where e.merchant_id = ${merchantId}
          group by e.customer_id),
        l as (
          select customer_id,
            sum(case when matured then remaining else 0 end) as spendable,
            sum(case when not matured then remaining else 0 end) as unmatured
          from lots where merchant_id = ${merchantId} group by customer_id),
        rt as (
          select customer_id, corrects_entry_id, sum(points) as returned
          from ledger_entries
          where merchant_id = ${merchantId} and kind = 'redeem' and points > 0
          group by customer_id, corrects_entry_id),
        bad as (
          select rt.customer_id, count(*) as n
          from rt
          left join ledger_entries d on d.merchant_id = ${merchantId} and d.id = rt.corrects_entry_id
            and d.customer_id = rt.customer_id and d.kind = 'redeem' and d.points < 0
          where d.id is null or rt.returned > -d.points
          group by rt.customer_id),
        h as (
          select customer_id, sum(points_spent) as held
          from redemptions where merchant_id = ${merchantId} and status = 'reserved'
          group by customer_id),
        c as (
          select c.id, c.available, c.pending, c.reserved, c.debt, c.lifetime_earned, c.lifetime_redeemed,
            c.lifetime_expired, coalesce(h.held, 0) as held, coalesce(bad.n, 0) as bad_returns,
            coalesce(e.net, 0) as net, coalesce(e.pending, 0) as e_pending, coalesce(e.earned, 0) as earned,
            coalesce(e.redeemed, 0) as redeemed, coalesce(e.expired, 0) as expired,
            coalesce(l.spendable, 0) as spendable, coalesce(l.unmatured, 0) as unmatured
          from customers c
          left join e on e.customer_id = c.id
          left join l on l.customer_id = c.id
          left join h on h.customer_id = c.id
          left join bad on bad.customer_id = c.id
          where c.merchant_id = ${merchantId})
        select id as customer_id, chk as check, expected::int, actual::int from c
        cross join lateral (values
          ('available - debt = entries', net, available - debt),
          ('pending = pending entries', e_pending, pending),
          ('pending = unmatured lots', unmatured, pending),
          ('available = matured lots', spendable, available),
          ('lifetimeEarned', earned, lifetime_earned),
          ('lifetimeRedeemed', redeemed, lifetime_redeemed),
          ('lifetimeExpired', expired, lifetime_expired),
          ('reserved = open holds', held, reserved),
          ('returns within their debit', 0, bad_returns)
        ) as v(chk, expected, actual)
        where expected <> actual`,
  );
  return rows;
}

export interface RedemptionViolation {
  id: string;
  check: string;
  expected: number;
  actual: number;
}

/**
 * Redemptions against the ledger and the code pool: a paid redemption has one redeem debit of
 * −pointsSpent; its points came back (positive redeem entries) exactly when it ended unused
 * (released, expired, cancelled); a pool code marked taken belongs to a redemption holding it.
 */
export async function redemptionViolations(db: Executor, merchantId: string): Promise<RedemptionViolation[]> {
  return query<RedemptionViolation>(
    db,
    sql`with d as (
          select source_id,
            sum(case when points < 0 then -points else 0 end) as debited,
            sum(case when points > 0 then points else 0 end) as returned
          from ledger_entries
          where merchant_id = ${merchantId} and kind = 'redeem' and source_type = 'redemption'
          group by source_id)
        select r.id, chk as check, expected::int, actual::int
        from redemptions r
        left join d on d.source_id = r.id
        cross join lateral (values
          ('debited', r.points_spent, coalesce(d.debited, 0)),
          ('returned', case when r.status in ('released', 'expired', 'cancelled') then r.points_spent else 0 end,
            coalesce(d.returned, 0))
        ) as v(chk, expected, actual)
        where r.merchant_id = ${merchantId} and expected <> actual
        union all
        select p.code as id, 'pool code held by its redemption' as check, 1 as expected, 0 as actual
        from coupon_codes p
        where p.merchant_id = ${merchantId} and p.redemption_id is not null
          and not exists (select 1 from redemptions r where r.merchant_id = p.merchant_id
                          and r.id = p.redemption_id and r.coupon_code = p.code)`,
  );
}
