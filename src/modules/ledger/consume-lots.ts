import { sql } from 'drizzle-orm';
import { query, type Tx } from '../../lib/db';
import type { LotUpdate } from './types';

interface SpendableLot {
  id: string;
  remaining: number;
}

/**
 * Takes `points` from the customer's available lots, soonest to expire first (then oldest),
 * skipping `exclude`. Returns the lot updates and how much could be taken. Reads lots in
 * batches, so a customer with many lots costs only what is consumed. Caller holds the lock.
 */
export async function consumeLots(
  tx: Tx,
  merchantId: string,
  customerId: string,
  points: number,
  exclude: ReadonlySet<string> = new Set(),
): Promise<{ updates: LotUpdate[]; taken: number }> {
  const updates: LotUpdate[] = [];
  let taken = 0;
  let after: { expiresAt: string; id: string } | null = null;
  while (taken < points) {
    const batch: (SpendableLot & { expires_key: string })[] = await query(
      tx,
      sql`select id, remaining, coalesce(expires_at, 'infinity'::timestamptz)::text as expires_key
          from lots
          where merchant_id = ${merchantId} and customer_id = ${customerId} and remaining > 0 and matured
            ${after ? sql`and (coalesce(expires_at, 'infinity'::timestamptz), id) > (${after.expiresAt}::timestamptz, ${after.id})` : sql``}
          order by coalesce(expires_at, 'infinity'::timestamptz), id
          limit 200`,
    );
    for (const lot of batch) {
      if (taken >= points) break;
      if (exclude.has(lot.id)) continue;
      const take = Math.min(lot.remaining, points - taken);
      taken += take;
      updates.push({ id: lot.id, remaining: lot.remaining - take, matured: true });
    }
    const last = batch[batch.length - 1];
    if (batch.length < 200 || !last) break;
    after = { expiresAt: last.expires_key, id: last.id };
  }
  return { updates, taken };
}
