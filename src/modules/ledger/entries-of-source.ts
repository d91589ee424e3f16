import { and, asc, eq } from 'drizzle-orm';
import { ledgerEntries } from '../../../db/schema';
import type { Executor } from '../../lib/db';
import type { EntryKind, EntryRow } from './types';

/**
 * The entries one source event wrote (an order's earnings, a refund's reversals…), in write
 * order; optionally only of one kind or for one customer. Replays and clawbacks read them.
 */
export function entriesOfSource(
  db: Executor,
  merchantId: string,
  source: { type: string; id: string },
  filter: { kind?: EntryKind; customerId?: string } = {},
): Promise<EntryRow[]> {
  return db
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.merchantId, merchantId),
        eq(ledgerEntries.sourceType, source.type),
        eq(ledgerEntries.sourceId, source.id),
        filter.kind ? eq(ledgerEntries.kind, filter.kind) : undefined,
        filter.customerId ? eq(ledgerEntries.customerId, filter.customerId) : undefined,
      ),
    )
    .orderBy(asc(ledgerEntries.seq));
}
