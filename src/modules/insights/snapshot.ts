import { sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { type Executor, isTransaction, query, withTransaction } from '../../lib/db';

/**
 * Where a report reads its per-customer figures: `auto` takes the customers' insight facts when
 * the period is open-ended (no `to`, the common case: all time, or "since …") and the rows
 * themselves otherwise; `rows` always reads the rows (the tests compare the two).
 */
export type ReportSource = 'auto' | 'rows';

/**
 * Settings for a report's transaction. JIT is off: on these one-off aggregate statements LLVM
 * compilation costs seconds and saves less. A larger `work_mem` keeps the sorts and hashes over a
 * merchant's customers in memory instead of spilling to disk (it is per node, for this
 * transaction only).
 */
export const REPORT_SETTINGS = ['set local jit = off', "set local work_mem = '64MB'"];

/**
 * Runs a report's statements in one read-only REPEATABLE READ transaction, so all its figures
 * come from the same snapshot even while orders keep arriving.
 */
export function inSnapshot<T>(ctx: VerbContext, fn: (db: Executor) => Promise<T>): Promise<T> {
  if (isTransaction(ctx.db)) return fn(ctx.db);
  return withTransaction(ctx.db, async (tx) => {
    await query(tx, sql`set transaction isolation level repeatable read, read only`);
    for (const setting of REPORT_SETTINGS) await query(tx, sql.raw(setting));
    return fn(tx);
  });
}
