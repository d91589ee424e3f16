import { sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { type Executor, isTransaction, query, withTransaction } from '../../lib/db';
import type { Period } from './period';

/**
 * Where a report reads its per-customer figures: `auto` from the customers' insight facts plus
 * index range scans of the period's own rows, or — for a period with an end that covers most of
 * the history — of the rows outside it, subtracted from the facts; `inside` and `outside` force
 * either; `rows` reads every row up to the end of the period, which is the definition (slower;
 * the tests check that all of them always agree).
 */
export type ReportSource = 'auto' | 'rows' | 'inside' | 'outside';

/**
 * How a report with facts reads a period: its own rows (`inside`), or, when the period has an end
 * and holds more than half of the ledger's time span (two index probes tell), the rows outside it.
 */
export async function scanOf(
  db: Executor,
  merchantId: string,
  p: Period,
  source: Exclude<ReportSource, 'rows'>,
): Promise<'inside' | 'outside'> {
  if (source !== 'auto') return source;
  if (!p.to) return 'inside';
  const [span] = await query<{ first: string | null; last: string | null }>(
    db,
    sql`select min(occurred_at) as first, max(occurred_at) as last from ledger_entries where merchant_id = ${merchantId}`,
  );
  if (!span?.first || !span.last) return 'inside';
  const first = new Date(span.first).getTime();
  const last = new Date(span.last).getTime();
  const covered = Math.min(last, p.to.getTime()) - Math.max(first, p.from?.getTime() ?? first);
  return covered * 2 > last - first ? 'outside' : 'inside';
}

/**
 * Settings for a report's transaction. JIT is off: on these one-off aggregate statements LLVM
 * compilation costs seconds and saves less. A larger `work_mem` keeps the sorts and hashes over a
 * merchant's customers in memory instead of spilling to disk (it is per node, for this
 * transaction only).
 */
export const REPORT_SETTINGS = ['set local jit = off', "set local work_mem = '64MB'"];

/**
 * For the reports that join every customer of a merchant to a few per-customer sets (program,
 * referrals): starting parallel workers always pays there (at 10M entries, −25 % on the referral
 * report), where the default costs keep the big joins on one core. The satisfaction report's
 * window over answers is faster without.
 */
export const PARALLEL_REPORT_SETTINGS = [
  ...REPORT_SETTINGS,
  'set local parallel_setup_cost = 0',
  'set local parallel_tuple_cost = 0',
];

/**
 * Runs a report's statements in one read-only REPEATABLE READ transaction, so all its figures
 * come from the same snapshot even while orders keep arriving.
 */
export function inSnapshot<T>(
  ctx: VerbContext,
  fn: (db: Executor) => Promise<T>,
  settings: readonly string[] = REPORT_SETTINGS,
): Promise<T> {
  if (isTransaction(ctx.db)) return fn(ctx.db);
  return withTransaction(ctx.db, async (tx) => {
    await query(tx, sql`set transaction isolation level repeatable read, read only`);
    for (const setting of settings) await query(tx, sql.raw(setting));
    return fn(tx);
  });
}
