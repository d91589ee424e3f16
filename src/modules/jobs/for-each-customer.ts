import { and, eq } from 'drizzle-orm';
import { customers, merchants } from '../../../db/schema';
import type { Merchant, VerbContext } from '../../deps';
import type { Clock } from '../../lib/clock';
import { type Executor, type Tx, withTransaction } from '../../lib/db';
import type { Logger } from '../../lib/logger';

export interface JobContext {
  db: Executor;
  clock: Clock;
  logger: Logger;
  /** Only this merchant's work; every merchant's when unset. */
  merchantId?: string | undefined;
}

type CustomerRow = typeof customers.$inferSelect;

/**
 * Runs `work` for each item of due work, one transaction each, with the item's customer
 * locked first with SKIP LOCKED: a customer busy in a request or in another runner is left
 * for the next run, so parallel runners never process one customer at the same time, and
 * the customer lock comes before any other lock of that customer's, as everywhere else.
 */
export async function forEachLockedCustomer<T extends { merchant_id: string; customer_id: string }>(
  job: JobContext,
  items: T[],
  work: (tx: Tx, ctx: VerbContext, customer: CustomerRow, item: T) => Promise<number>,
): Promise<number> {
  if (items.length === 0) return 0;
  const merchantRows = await job.db.select().from(merchants);
  const byId = new Map<string, Merchant>(merchantRows.map((m) => [m.id, m]));
  let total = 0;
  for (const item of items) {
    const merchant = byId.get(item.merchant_id);
    if (!merchant) continue;
    total += await withTransaction(job.db, async (tx) => {
      const [customer] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.merchantId, merchant.id), eq(customers.id, item.customer_id)))
        .for('update', { skipLocked: true });
      if (!customer) return 0;
      const ctx: VerbContext = {
        db: tx,
        merchant,
        clock: job.clock,
        logger: job.logger,
        actor: 'system:jobs',
        requestId: undefined,
      };
      return work(tx, ctx, customer, item);
    });
  }
  return total;
}
