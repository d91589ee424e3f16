import { and, eq, isNull } from 'drizzle-orm';
import { earningRules } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Executor } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import type { EarningRuleRow } from './evaluate';

/** A live (not deleted) rule of this merchant; `forUpdate` locks it for a change. */
export async function findRule(
  db: Executor,
  merchantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<EarningRuleRow> {
  const q = db
    .select()
    .from(earningRules)
    .where(
      and(eq(earningRules.merchantId, merchantId), eq(earningRules.id, id), isNull(earningRules.deletedAt)),
    );
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw new NotFound('rule');
  return row;
}

export function getRule(ctx: VerbContext, id: string): Promise<EarningRuleRow> {
  return findRule(ctx.db, ctx.merchant.id, id);
}
