import { and, eq, sql } from 'drizzle-orm';
import { customers, merchants } from '../../../db/schema';
import type { Merchant, VerbContext } from '../../deps';
import type { Clock } from '../../lib/clock';
import { type Executor, query, type Tx } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { expireLots } from './expire';
import { matureDueLots } from './lock-customer';

interface JobContext {
  db: Executor;
  clock: Clock;
  logger: Logger;
  merchantId?: string | undefined;
}

const BATCH = 500;

/**
 * Runs `work` for each (merchant, customer) pair the finder returns, one transaction each.
 * The customer row is taken with SKIP LOCKED: a customer busy in a request or in another
 * runner is left for the next run, so parallel runners never process one customer twice.
 */
async function forEachCustomer(
  job: JobContext,
  pairs: { merchant_id: string; customer_id: string }[],
  work: (tx: Tx, ctx: VerbContext, customer: typeof customers.$inferSelect) => Promise<number>,
): Promise<number> {
  if (pairs.length === 0) return 0;
  const merchantRows = await job.db.select().from(merchants);
  const byId = new Map<string, Merchant>(merchantRows.map((m) => [m.id, m]));
  let total = 0;
  for (const pair of pairs) {
    const merchant = byId.get(pair.merchant_id);
    if (!merchant) continue;
    total += await job.db.transaction(async (tx) => {
      const [customer] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.merchantId, merchant.id), eq(customers.id, pair.customer_id)))
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
      return work(tx, ctx, customer);
    });
  }
  return total;
}

const merchantFilter = (job: JobContext) => (job.merchantId ? sql`where m.id = ${job.merchantId}` : sql``);

/** Pending points whose `availableAt` has passed become available. */
export async function matureDuePoints(job: JobContext): Promise<number> {
  const now = job.clock.now().toISOString();
  const pairs = await query<{ merchant_id: string; customer_id: string }>(
    job.db,
    sql`select distinct m.id as merchant_id, l.customer_id
        from merchants m
        cross join lateral (
          select customer_id from lots
          where merchant_id = m.id and not matured and available_at <= ${now}::timestamptz
          limit ${BATCH}) l
        ${merchantFilter(job)}`,
  );
  return forEachCustomer(job, pairs, async (tx, ctx, customer) => {
    const before = customer.pending;
    const after = await matureDueLots(tx, ctx, customer);
    return before - after.pending;
  });
}

/** Lots past their fixed expiry, and balances of customers inactive past the merchant's limit. */
export async function expirePoints(job: JobContext): Promise<number> {
  const now = job.clock.now().toISOString();
  const fixed = await query<{ merchant_id: string; customer_id: string }>(
    job.db,
    sql`select distinct m.id as merchant_id, l.customer_id
        from merchants m
        cross join lateral (
          select customer_id from lots
          where merchant_id = m.id and matured and remaining > 0 and expires_at <= ${now}::timestamptz
          limit ${BATCH}) l
        ${job.merchantId ? sql`where m.id = ${job.merchantId} and` : sql`where`} m.expiry_mode = 'fixed'`,
  );
  const inactive = await query<{ merchant_id: string; customer_id: string }>(
    job.db,
    sql`select m.id as merchant_id, c.id as customer_id
        from merchants m
        cross join lateral (
          select id from customers
          where merchant_id = m.id and available > 0
            and coalesce(last_activity_at, created_at) <= ${now}::timestamptz - make_interval(days => m.expiry_days)
          limit ${BATCH}) c
        ${job.merchantId ? sql`where m.id = ${job.merchantId} and` : sql`where`} m.expiry_mode = 'inactivity'`,
  );
  const a = await forEachCustomer(job, fixed, (tx, ctx, c) => expireLots(tx, ctx, c, 'due'));
  const b = await forEachCustomer(job, inactive, async (tx, ctx, c) => {
    // Re-check under the lock: the customer may have been active since the scan.
    const limit = new Date(job.clock.now().getTime() - (ctx.merchant.expiryDays ?? 0) * 86_400_000);
    if ((c.lastActivityAt ?? c.createdAt) > limit) return 0;
    return expireLots(tx, ctx, c, 'everything');
  });
  return a + b;
}
