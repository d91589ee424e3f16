import { sql } from 'drizzle-orm';
import type { Merchant } from '../../deps';
import { type Executor, query } from '../../lib/db';
import { periodStart } from '../../lib/time';
import type { EarningRuleRow, RuleUsage } from './evaluate';

/**
 * Cap and budget usage of `rules` for one customer, in one query: for each capped rule, the
 * customer's earning entries from it (`earn`/`referral`, points > 0) since the start of the
 * cap period in the merchant's time zone; for each budgeted rule, `budget_used` read fresh
 * (cached rule rows go stale as awards are made). Run it inside the awarding transaction
 * after locking the customer row, so two concurrent awards cannot both pass a cap. A null
 * customer (an unknown one in a preview) has no usage of its own.
 */
export async function loadRuleUsage(
  db: Executor,
  merchant: Pick<Merchant, 'id' | 'timezone'>,
  customerId: string | null,
  rules: readonly EarningRuleRow[],
  now: Date,
): Promise<Map<string, RuleUsage>> {
  const usage = new Map<string, RuleUsage>();
  const limited = rules.filter((r) => r.limits?.perCustomer || r.limits?.budget !== undefined);
  if (limited.length === 0) return usage;
  const values = limited.map((r) => {
    const cap = customerId !== null ? r.limits?.perCustomer : undefined;
    const since = cap ? periodStart(now, cap.period, merchant.timezone) : null;
    return sql`(${r.id}::text, ${cap !== undefined}::boolean, ${since?.toISOString() ?? null}::timestamptz)`;
  });
  const rows = await query<{ rule_id: string; budget_used: number; period_count: number }>(
    db,
    sql`select v.rule_id, r.budget_used,
          case when v.capped then (
            select count(*)::int from ledger_entries e
            where e.merchant_id = ${merchant.id} and e.rule_id = v.rule_id and e.customer_id = ${customerId}
              and e.kind in ('earn', 'referral') and e.points > 0
              and (v.since is null or e.occurred_at >= v.since)
          ) else 0 end as period_count
        from (values ${sql.join(values, sql`, `)}) as v(rule_id, capped, since)
        join earning_rules r on r.merchant_id = ${merchant.id} and r.id = v.rule_id`,
  );
  for (const row of rows) {
    usage.set(row.rule_id, { periodCount: Number(row.period_count), budgetUsed: Number(row.budget_used) });
  }
  return usage;
}
