import { and, eq, isNull } from 'drizzle-orm';
import { webhookEndpoints } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Executor } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import type { EndpointRow } from './view';

/** A live (not deleted) endpoint of this merchant; `forUpdate` locks it for a change. */
export async function findEndpoint(
  db: Executor,
  merchantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<EndpointRow> {
  const ep = webhookEndpoints;
  const q = db
    .select()
    .from(ep)
    .where(and(eq(ep.merchantId, merchantId), eq(ep.id, id), isNull(ep.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw new NotFound('webhook endpoint');
  return row;
}

export function getEndpoint(ctx: VerbContext, id: string): Promise<EndpointRow> {
  return findEndpoint(ctx.db, ctx.merchant.id, id);
}
