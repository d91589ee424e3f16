import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../lib/db';
import { DAY_MS } from '../../lib/time';

/**
 * Points earned in the last 365 days: earnings, minus what reversals took back of them
 * (a forgiven reversal still undoes the earning).
 */
export async function rollingEarned(
  db: Executor,
  merchantId: string,
  customerId: string,
  now: Date,
): Promise<number> {
  const since = new Date(now.getTime() - 365 * DAY_MS).toISOString();
  const [row] = await query<{ earned: number | string }>(
    db,
    sql`select coalesce(sum(case when kind = 'reverse' then points - forgiven else points end), 0)::int as earned
        from ledger_entries
        where merchant_id = ${merchantId} and customer_id = ${customerId}
          and kind in ('earn', 'referral', 'import', 'reverse') and occurred_at >= ${since}::timestamptz`,
  );
  return Number(row?.earned ?? 0);
}
