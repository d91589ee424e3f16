import { and, desc, eq, lt } from 'drizzle-orm';
import { auditLog } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { decodeCursor, page } from '../../lib/pagination';

/** Configuration changes, newest first. */
export async function listAudit(ctx: VerbContext, { limit, cursor }: { limit: number; cursor?: string }) {
  const after = decodeCursor(cursor, 1);
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(
      and(eq(auditLog.merchantId, ctx.merchant.id), after ? lt(auditLog.id, String(after[0])) : undefined),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => [r.id]);
}
