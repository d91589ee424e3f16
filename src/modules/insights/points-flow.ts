import { sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query } from '../../lib/db';
import { inSnapshot } from './snapshot';

export interface PointsFlowBucket {
  /** Local date the month starts on (YYYY-MM-DD). */
  period: string;
  issued: number;
  redeemed: number;
  expired: number;
}

/**
 * Points issued (earned net of reversals), redeemed and expired per local calendar month, for
 * the last `months` months including the current one; empty months are included as zeros.
 * Same definitions as the program report, so the months of a period add up to its totals.
 */
export async function pointsFlow(ctx: VerbContext, months = 12): Promise<PointsFlowBucket[]> {
  const m = ctx.merchant.id;
  const tz = ctx.merchant.timezone;
  const now = ctx.clock.now().toISOString();
  return inSnapshot(ctx, (db) =>
    query<PointsFlowBucket>(
      db,
      sql`with bounds as (
          select date_trunc('month', ${now}::timestamptz at time zone ${tz}) as last_month),
        months as (
          select generate_series(last_month - make_interval(months => ${months - 1}::int), last_month, interval '1 month') as month
          from bounds),
        flows as (
          select date_trunc('month', occurred_at at time zone ${tz}) as month,
            coalesce(sum(points) filter (where kind in ('earn', 'referral', 'import')), 0)
              - coalesce(sum(forgiven - points) filter (where kind = 'reverse'), 0) as issued,
            -sum(points) filter (where kind = 'redeem') as redeemed,
            -sum(points) filter (where kind = 'expire') as expired
          from ledger_entries, bounds
          where merchant_id = ${m}
            and occurred_at >= ((bounds.last_month - make_interval(months => ${months - 1}::int)) at time zone ${tz})
          group by 1)
        select to_char(months.month, 'YYYY-MM-DD') as period,
          coalesce(flows.issued, 0)::float8 as issued, coalesce(flows.redeemed, 0)::float8 as redeemed,
          coalesce(flows.expired, 0)::float8 as expired
        from months left join flows on flows.month = months.month
        order by months.month`,
    ),
  );
}
