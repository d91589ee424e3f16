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
 * - lifetime earned / redeemed / expired = their entries
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
        c as (
          select c.id, c.available, c.pending, c.debt, c.lifetime_earned, c.lifetime_redeemed, c.lifetime_expired,
            coalesce(e.net, 0) as net, coalesce(e.pending, 0) as e_pending, coalesce(e.earned, 0) as earned,
            coalesce(e.redeemed, 0) as redeemed, coalesce(e.expired, 0) as expired,
            coalesce(l.spendable, 0) as spendable, coalesce(l.unmatured, 0) as unmatured
          from customers c
          left join e on e.customer_id = c.id
          left join l on l.customer_id = c.id
          where c.merchant_id = ${merchantId})
        select id as customer_id, chk as check, expected::int, actual::int from c
        cross join lateral (values
          ('available - debt = entries', net, available - debt),
          ('pending = pending entries', e_pending, pending),
          ('pending = unmatured lots', unmatured, pending),
          ('available = matured lots', spendable, available),
          ('lifetimeEarned', earned, lifetime_earned),
          ('lifetimeRedeemed', redeemed, lifetime_redeemed),
          ('lifetimeExpired', expired, lifetime_expired)
        ) as v(chk, expected, actual)
        where expected <> actual`,
  );
  return rows;
}
