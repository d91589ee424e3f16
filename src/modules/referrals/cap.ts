import { sql } from 'drizzle-orm';
import { query, type Tx } from '../../lib/db';
import { localDate, periodStart, startOfLocalDate } from '../../lib/time';
import type { Program } from './program';

/**
 * Whether the referrer already had `maxRewardedPerReferrer.count` referrals rewarded (with the
 * referrer's reward) in the current period, in the merchant's time zone. A referral rewarded
 * for the referee only (`reason = referrer_cap_reached`) does not count.
 */
export async function referrerCapReached(
  tx: Tx,
  merchant: { id: string; timezone: string },
  program: Program,
  referrerId: string,
  now: Date,
): Promise<boolean> {
  const cap = program.maxRewardedPerReferrer;
  if (!cap) return false;
  const since =
    cap.period === 'year'
      ? startOfLocalDate(
          { year: localDate(now, merchant.timezone).year, month: 1, day: 1 },
          merchant.timezone,
        )
      : periodStart(now, cap.period, merchant.timezone);
  const [row] = await query<{ n: number }>(
    tx,
    sql`select count(*)::int as n from referrals
        where merchant_id = ${merchant.id} and referrer_id = ${referrerId}
          and status = 'rewarded' and reason is null
          ${since ? sql`and rewarded_at >= ${since.toISOString()}::timestamptz` : sql``}`,
  );
  return Number(row?.n ?? 0) >= cap.count;
}
