import { sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { type Executor, isTransaction, query, withTransaction } from '../../lib/db';

/**
 * Where a report reads its per-customer figures: `auto` from the customers' insight facts plus
 * index range scans of the period's own rows; `rows` from every row up to the end of the
 * period, which is the definition (slower; the tests check that the two always agree).
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
