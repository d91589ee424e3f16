import { rawQuery, type Tx } from '../../lib/db';
import type { LotUpdate } from './types';

/** What a debit takes: the lots' new remainders and the points they give. */
export interface Spend {
  updates: LotUpdate[];
  taken: number;
}

interface SpendableLot {
  id: string;
  remaining: number;
}

const SPENDABLE = `select id, remaining, coalesce(expires_at, 'infinity'::timestamptz)::text as expires_key
  from lots where merchant_id = $1 and customer_id = $2 and remaining > 0 and matured`;
const ORDER = `order by coalesce(expires_at, 'infinity'::timestamptz), id limit 200`;
const FIRST_BATCH = `${SPENDABLE} ${ORDER}`;
const NEXT_BATCH = `${SPENDABLE}
  and (coalesce(expires_at, 'infinity'::timestamptz), id) > ($3::timestamptz, $4) ${ORDER}`;

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
): Promise<Spend> {
  const updates: LotUpdate[] = [];
  let taken = 0;
  let after: { expiresAt: string; id: string } | null = null;
  while (taken < points) {
    const batch: (SpendableLot & { expires_key: string })[] = await rawQuery(
      tx,
      after ? NEXT_BATCH : FIRST_BATCH,
      after ? [merchantId, customerId, after.expiresAt, after.id] : [merchantId, customerId],
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
