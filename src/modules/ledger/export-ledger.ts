import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, gt, gte, lt } from 'drizzle-orm';
import { ledgerEntries } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { toEntryView } from './view';

const BATCH = 1_000;
const COLUMNS = [
  'id',
  'customerId',
  'kind',
  'points',
  'status',
  'sourceType',
  'sourceId',
  'ruleId',
  'reason',
  'correctsEntryId',
  'debtSettled',
  'forgiven',
  'balanceAfter',
  'availableAt',
  'expiresAt',
  'occurredAt',
  'createdAt',
] as const;

export interface ExportQuery {
  format: 'ndjson' | 'csv';
  customerId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * The merchant's ledger in write order, streamed: batches of 1,000 rows are read by keyset on
 * (merchant_id, seq) only as the client consumes them, so memory stays flat however large.
 */
export function exportLedger(ctx: VerbContext, q: ExportQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (q.format === 'csv' && !headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(stringify([COLUMNS as unknown as string[]])));
        return;
      }
      if (done) return controller.close();
      const rows = await ctx.db
        .select()
        .from(ledgerEntries)
        .where(
          and(
            eq(ledgerEntries.merchantId, ctx.merchant.id),
            gt(ledgerEntries.seq, after),
            q.customerId ? eq(ledgerEntries.customerId, q.customerId) : undefined,
            q.from ? gte(ledgerEntries.createdAt, q.from) : undefined,
            q.to ? lt(ledgerEntries.createdAt, q.to) : undefined,
          ),
        )
        .orderBy(asc(ledgerEntries.seq))
        .limit(BATCH);
      const now = ctx.clock.now();
      if (rows.length < BATCH) done = true;
      if (rows.length === 0) return controller.close();
      after = rows[rows.length - 1]!.seq;
      const views = rows.map((r) => toEntryView(r, now));
      const text =
        q.format === 'ndjson'
          ? views.map((v) => `${JSON.stringify(v)}\n`).join('')
          : stringify(
              views.map((v) => {
                const flat: Record<string, unknown> = {
                  ...v,
                  sourceType: v.source.type,
                  sourceId: v.source.id,
                };
                return COLUMNS.map((c) => flat[c] ?? '');
              }),
            );
      controller.enqueue(encoder.encode(text));
    },
  });
}
