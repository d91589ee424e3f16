import { sql } from 'drizzle-orm';
import type { Executor } from '../../lib/db';
import { query } from '../../lib/db';

/** Idempotency keys are kept at least 24 h; they are purged after 72 h. */
export const IDEMPOTENCY_RETENTION_HOURS = 72;

/**
 * Deletes expired idempotency keys and past rate-limit windows. Walks merchants so each
 * delete uses the (merchant_id, …) indexes; idempotent and safe on several instances.
 */
export async function purgeExpired(
  db: Executor,
  now: Date,
): Promise<{ idempotencyKeys: number; rateLimitWindows: number }> {
  const keyCutoff = new Date(now.getTime() - IDEMPOTENCY_RETENTION_HOURS * 3600_000).toISOString();
  const windowCutoff = new Date(now.getTime() - 10 * 60_000).toISOString();
  const keys = await query<{ n: number }>(
    db,
    sql`with gone as (
          delete from idempotency_keys k
          using (select id from merchants union all select '_operator') m
          where k.merchant_id = m.id and k.created_at < ${keyCutoff}
          returning 1)
        select count(*)::int as n from gone`,
  );
  const windows = await query<{ n: number }>(
    db,
    sql`with gone as (
          delete from rate_limit_counters r using merchants m
          where r.merchant_id = m.id and r.window_start < ${windowCutoff}
          returning 1)
        select count(*)::int as n from gone`,
  );
  return { idempotencyKeys: Number(keys[0]?.n ?? 0), rateLimitWindows: Number(windows[0]?.n ?? 0) };
}
