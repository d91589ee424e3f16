import { and, eq, isNull } from 'drizzle-orm';
import { rewards } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Executor } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import type { RewardRow } from './view';

/** A live (not deleted) reward of this merchant; `forUpdate` locks it for a change. */
export async function findReward(
  db: Executor,
  merchantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<RewardRow> {
  const q = db
    .select()
    .from(rewards)
    .where(and(eq(rewards.merchantId, merchantId), eq(rewards.id, id), isNull(rewards.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw new NotFound('reward');
  return row;
}

export function getReward(ctx: VerbContext, id: string): Promise<RewardRow> {
  return findReward(ctx.db, ctx.merchant.id, id);
}
