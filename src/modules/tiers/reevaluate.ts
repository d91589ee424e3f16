import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../lib/db';
import { newId } from '../../lib/ids';
import { DAY_MS } from '../../lib/time';

/**
 * Re-places a merchant's customers on the ladder, set-based. `upgrade` (after a ladder
 * change) moves customers up at once and off retired tiers; `downgrade` (scheduled) moves
 * customers down once their qualifying period has ended: for `rolling365` tiers a year after
 * they reached the tier, for `lifetime` tiers as soon as refunds took them below it.
 * Each move records a `tier.changed` event in the same statement.
 */
export async function reevaluateTiers(
  db: Executor,
  merchantId: string,
  now: Date,
  mode: 'upgrade' | 'downgrade',
): Promise<number> {
  const since = new Date(now.getTime() - 365 * DAY_MS).toISOString();
  const at = now.toISOString();
  const eventPrefix = newId('event', now).slice(0, 12);
  const move =
    mode === 'upgrade'
      ? sql`(old.id is null and q.new_tier is not null) or old.retired_at is not null or new.rank > old.rank`
      : sql`old.retired_at is null and (q.new_tier is null or new.rank < old.rank)
            and (old.window = 'lifetime' or c.tier_since <= ${at}::timestamptz - interval '365 days')`;
  const rows = await query<{ n: number }>(
    db,
    sql`with q as (
          select c.id,
            c.tier_id as old_tier,
            (select t.id from tiers t
              where t.merchant_id = c.merchant_id and t.retired_at is null
                and (case when t.window = 'lifetime' then c.lifetime_earned else coalesce(r.earned, 0) end) >= t.threshold
              order by t.rank desc limit 1) as new_tier
          from customers c
          left join lateral (
            select sum(case when e.kind = 'reverse' then e.points - e.forgiven else e.points end) as earned
            from ledger_entries e
            where e.merchant_id = c.merchant_id and e.customer_id = c.id
              and e.kind in ('earn', 'referral', 'import', 'reverse') and e.occurred_at >= ${since}::timestamptz
          ) r on exists (select 1 from tiers w where w.merchant_id = c.merchant_id and w.retired_at is null and w.window = 'rolling365')
          where c.merchant_id = ${merchantId} ${mode === 'downgrade' ? sql`and c.tier_id is not null` : sql``}
        ),
        changed as (
          update customers c set tier_id = q.new_tier, tier_since = ${at}::timestamptz
          from q
          left join tiers old on old.merchant_id = ${merchantId} and old.id = q.old_tier
          left join tiers new on new.merchant_id = ${merchantId} and new.id = q.new_tier
          where c.merchant_id = ${merchantId} and c.id = q.id
            and q.new_tier is distinct from q.old_tier and (${move})
          returning c.id, old.name as from_name, new.name as to_name
        ),
        ev as (
          insert into events (merchant_id, id, type, data, created_at)
          select ${merchantId}, ${eventPrefix} || md5(random()::text || changed.id), 'tier.changed',
            jsonb_build_object('customerId', changed.id, 'from', changed.from_name, 'to', changed.to_name,
              'direction', ${mode === 'upgrade' ? 'up' : 'down'}::text),
            ${at}::timestamptz
          from changed
        )
        select count(*)::int as n from changed`,
  );
  return Number(rows[0]?.n ?? 0);
}
