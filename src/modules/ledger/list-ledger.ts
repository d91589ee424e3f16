import { and, desc, eq, lt } from 'drizzle-orm';
import { ledgerEntries } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { decodeCursor, page } from '../../lib/pagination';

/**
 * A customer's entries, newest first by write order. Keyset pagination on
 * (merchant_id, customer_id, seq): each page is one index range scan, however long the ledger.
 */
export async function listLedger(
  ctx: VerbContext,
  customerId: string,
  q: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(q.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.merchantId, ctx.merchant.id),
        eq(ledgerEntries.customerId, customerId),
        after ? lt(ledgerEntries.seq, Number(after[0])) : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.seq))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.seq]);
}
