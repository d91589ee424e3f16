import { sql } from 'drizzle-orm';
import { query } from '../../lib/db';
import { forEachLockedCustomer, type JobContext } from '../jobs/for-each-customer';
import { expireLots } from './expire';
import { matureDueLots } from './lock-customer';

const BATCH = 500;

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
  return forEachLockedCustomer(job, pairs, async (tx, ctx, customer) => {
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
  const a = await forEachLockedCustomer(job, fixed, (tx, ctx, c) => expireLots(tx, ctx, c, 'due'));
  const b = await forEachLockedCustomer(job, inactive, async (tx, ctx, c) => {
    // Re-check under the lock: the customer may have been active since the scan.
    const limit = new Date(job.clock.now().getTime() - (ctx.merchant.expiryDays ?? 0) * 86_400_000);
    if ((c.lastActivityAt ?? c.createdAt) > limit) return 0;
    return expireLots(tx, ctx, c, 'everything');
  });
  return a + b;
}
