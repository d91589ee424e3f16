import { sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock';
import { type Executor, query } from '../../lib/db';
import { reevaluateTiers } from './reevaluate';

/** Scheduled: moves customers down whose qualifying period has ended (see `reevaluateTiers`). */
export async function downgradeTiers(job: {
  db: Executor;
  clock: Clock;
  merchantId?: string | undefined;
}): Promise<number> {
  const merchantsWithTiers = await query<{ merchant_id: string }>(
    job.db,
    sql`select distinct merchant_id from tiers where retired_at is null
        ${job.merchantId ? sql`and merchant_id = ${job.merchantId}` : sql``}`,
  );
  let moved = 0;
  for (const { merchant_id } of merchantsWithTiers) {
    moved += await job.db.transaction((tx) => reevaluateTiers(tx, merchant_id, job.clock.now(), 'downgrade'));
  }
  return moved;
}
