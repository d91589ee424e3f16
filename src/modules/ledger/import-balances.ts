import { parse } from 'csv-parse';
import { and, eq, inArray } from 'drizzle-orm';
import { customers, ledgerEntries } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { normalizeEmail } from '../../lib/email';
import { ValidationFailed } from '../../lib/errors';
import { postCredits } from './credit';
import { lockCustomer } from './lock-customer';

const CHUNK = 200;
const MAX_REPORTED_ERRORS = 100;
const ID = /^[\x21-\x7e]{1,128}$/;

interface Row {
  line: number;
  customerId: string;
  points: number;
  email?: string;
  name?: string;
  earnedAt?: Date;
}

export interface ImportReport {
  batchId: string;
  imported: number;
  skipped: number;
  failed: number;
  errors: { line: number; message: string }[];
}

/**
 * Opening balances from another platform, as CSV with a header: `customerId,points` and
 * optionally `email`, `name`, `earnedAt`. Streamed: the body is parsed as it arrives and
 * written in chunks of 200 rows, each row all-or-nothing. Re-running a batch id imports
 * nothing twice (each row's credit has the dedupe key `import:<batch>:<customer>`).
 */
export async function importBalances(
  ctx: VerbContext,
  batchId: string,
  body: ReadableStream<Uint8Array>,
): Promise<ImportReport> {
  const report: ImportReport = { batchId, imported: 0, skipped: 0, failed: 0, errors: [] };
  const fail = (line: number, message: string) => {
    report.failed++;
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ line, message });
  };
  const parser = parse({
    columns: (h: string[]) => h.map((c) => c.trim()),
    skip_empty_lines: true,
    trim: true,
    info: true,
    relax_column_count: true,
  });
  const feeding = feed(body, parser);
  let chunk: Row[] = [];
  let headerChecked = false;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    if (!headerChecked) {
      headerChecked = true;
      if (!('customerId' in record) || !('points' in record)) {
        parser.destroy();
        throw new ValidationFailed([
          { path: 'body', message: 'the CSV header must name customerId and points' },
        ]);
      }
    }
    const row = toRow(record, info.lines);
    if (typeof row === 'string') fail(info.lines, row);
    else chunk.push(row);
    if (chunk.length >= CHUNK) {
      await writeChunk(ctx, batchId, chunk, report);
      chunk = [];
    }
  }
  await feeding;
  if (chunk.length) await writeChunk(ctx, batchId, chunk, report);
  if (!headerChecked)
    throw new ValidationFailed([{ path: 'body', message: 'is empty: expected a CSV header and rows' }]);
  return report;
}

async function feed(body: ReadableStream<Uint8Array>, parser: ReturnType<typeof parse>) {
  const decoder = new TextDecoder();
  try {
    for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
      if (!parser.write(decoder.decode(bytes, { stream: true }))) {
        await new Promise((resolve) => parser.once('drain', resolve));
      }
    }
    parser.end(decoder.decode());
  } catch (error) {
    parser.destroy(error as Error);
  }
}

function toRow(r: Record<string, string>, line: number): Row | string {
  const customerId = r.customerId ?? '';
  if (!ID.test(customerId)) return 'customerId must be 1 to 128 printable characters';
  const points = Number(r.points);
  if (!Number.isInteger(points) || points <= 0 || points > 100_000_000)
    return 'points must be a positive integer';
  const row: Row = { line, customerId, points };
  if (r.email) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r.email)) return 'email is not an address';
    row.email = r.email;
  }
  if (r.name) row.name = r.name.slice(0, 200);
  if (r.earnedAt) {
    const d = new Date(r.earnedAt);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(r.earnedAt))
      return 'earnedAt must be an ISO 8601 date';
    row.earnedAt = d;
  }
  return row;
}

async function writeChunk(ctx: VerbContext, batchId: string, rows: Row[], report: ImportReport) {
  const now = ctx.clock.now();
  const key = (id: string) => `import:${batchId}:${id}`;
  await withTransaction(ctx.db, async (tx) => {
    const done = await tx
      .select({ key: ledgerEntries.dedupeKey })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.merchantId, ctx.merchant.id),
          inArray(
            ledgerEntries.dedupeKey,
            rows.map((r) => key(r.customerId)),
          ),
        ),
      );
    const seen = new Set(done.map((d) => d.key));
    for (const row of rows) {
      if (seen.has(key(row.customerId))) {
        report.skipped++;
        continue;
      }
      seen.add(key(row.customerId));
      const customer = await lockCustomer(tx, ctx, row.customerId);
      if (row.email || row.name) {
        await tx
          .update(customers)
          .set({
            ...(row.email && { email: row.email, emailNormalized: normalizeEmail(row.email) }),
            ...(row.name && { name: row.name }),
          })
          .where(and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, row.customerId)));
      }
      const earnedAt = row.earnedAt ?? now;
      await postCredits(tx, ctx, customer, [
        {
          kind: 'import',
          points: row.points,
          occurredAt: earnedAt,
          availableAt: earnedAt,
          sourceType: 'import',
          sourceId: batchId,
          reason: 'opening balance',
          dedupeKey: key(row.customerId),
        },
      ]);
      report.imported++;
    }
  });
}
