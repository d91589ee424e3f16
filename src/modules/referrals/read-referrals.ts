import { and, desc, eq, lt } from 'drizzle-orm';
import { referrals } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { NotFound } from '../../lib/errors';
import { decodeCursor, page } from '../../lib/pagination';
import type { REFERRAL_STATUSES } from './schemas';
import type { ReferralRow } from './view';

export async function getReferral(ctx: VerbContext, id: string): Promise<ReferralRow> {
  const [row] = await ctx.db
    .select()
    .from(referrals)
    .where(and(eq(referrals.merchantId, ctx.merchant.id), eq(referrals.id, id)));
  if (!row) throw new NotFound('referral');
  return row;
}

/** Referrals newest first (ids sort by creation time), optionally by status, referrer or referee. */
export async function listReferrals(
  ctx: VerbContext,
  q: {
    limit: number;
    cursor?: string | undefined;
    status?: (typeof REFERRAL_STATUSES)[number] | undefined;
    referrerId?: string | undefined;
    refereeId?: string | undefined;
  },
) {
  const after = decodeCursor(q.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.merchantId, ctx.merchant.id),
        q.status ? eq(referrals.status, q.status) : undefined,
        q.referrerId ? eq(referrals.referrerId, q.referrerId) : undefined,
        q.refereeId ? eq(referrals.refereeId, q.refereeId) : undefined,
        after ? lt(referrals.id, String(after[0])) : undefined,
      ),
    )
    .orderBy(desc(referrals.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (r) => [r.id]);
}
