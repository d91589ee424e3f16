import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { customers, merchants, referrals } from '../../../db/schema';
import type { Merchant, VerbContext } from '../../deps';
import type { Clock } from '../../lib/clock';
import { type Executor, query, type Tx, withTransaction } from '../../lib/db';
import { ApiError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { recordEvent } from '../../lib/outbox';
import { matureDueLots } from '../ledger/lock-customer';
import { referrerCapReached } from './cap';
import { grantReward } from './grant';
import { loadProgram } from './program';
import { toReferralView } from './view';

const BATCH = 500;

interface Due {
  merchant_id: string;
  id: string;
  referrer_id: string;
  referee_id: string;
}

/**
 * Scheduled: qualified referrals whose hold has passed are rewarded, both sides at once. Each
 * referral is its own transaction that first locks both customers, in id order, with SKIP
 * LOCKED (a busy customer waits for the next run), then claims the referral row with SKIP
 * LOCKED and re-checks it is still `qualified` and due: two runners never reward one referral
 * twice, and the dedupe keys `referral:<id>:referrer|referee` are the last guard. When the
 * referrer reached the program's cap, only the referee is rewarded and the referral keeps
 * `reason: referrer_cap_reached`. A referral whose catalog reward cannot be issued now (e.g.
 * out of stock) stays qualified and is retried at the next run.
 */
export async function rewardDueReferrals(job: {
  db: Executor;
  clock: Clock;
  logger: Logger;
  merchantId?: string | undefined;
}): Promise<number> {
  const now = job.clock.now();
  const due = await query<Due>(
    job.db,
    sql`select m.id as merchant_id, r.id, r.referrer_id, r.referee_id
        from merchants m
        cross join lateral (
          select id, referrer_id, referee_id from referrals
          where merchant_id = m.id and status = 'qualified' and hold_until <= ${now.toISOString()}::timestamptz
          order by hold_until
          limit ${BATCH}) r
        ${job.merchantId ? sql`where m.id = ${job.merchantId}` : sql``}`,
  );
  if (due.length === 0) return 0;
  const ids = [...new Set(due.map((d) => d.merchant_id))];
  const merchantRows = await job.db.select().from(merchants).where(inArray(merchants.id, ids));
  const byId = new Map<string, Merchant>(merchantRows.map((m) => [m.id, m]));
  let rewarded = 0;
  for (const d of due) {
    const merchant = byId.get(d.merchant_id);
    if (!merchant) continue;
    const ctx = {
      merchant,
      clock: job.clock,
      logger: job.logger,
      actor: 'system:jobs',
      requestId: undefined,
    };
    try {
      rewarded += await withTransaction(job.db, (tx) => rewardOne(tx, { ...ctx, db: tx }, d));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      job.logger.warn('referral reward deferred', { referralId: d.id, reason: error.message });
    }
  }
  return rewarded;
}

async function rewardOne(tx: Tx, ctx: VerbContext, d: Due): Promise<number> {
  const m = ctx.merchant.id;
  const now = ctx.clock.now();
  const ids = [d.referrer_id, d.referee_id].sort();
  const locked = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.merchantId, m), inArray(customers.id, ids)))
    .orderBy(asc(customers.id))
    .for('update', { skipLocked: true });
  if (locked.length !== ids.length) return 0;
  const [referral] = await tx
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.merchantId, m),
        eq(referrals.id, d.id),
        eq(referrals.status, 'qualified'),
        lte(referrals.holdUntil, now),
      ),
    )
    .for('update', { skipLocked: true });
  if (!referral?.referrerId) return 0;

  const program = await loadProgram(tx, m);
  const capped = await referrerCapReached(tx, ctx.merchant, program, referral.referrerId, now);
  const row = (id: string) => matureDueLots(tx, ctx, locked.find((c) => c.id === id)!);
  const refereePoints = await grantReward(
    tx,
    ctx,
    await row(referral.refereeId),
    referral.id,
    'referee',
    program.refereeReward,
  );
  const referrerPoints = capped
    ? 0
    : await grantReward(
        tx,
        ctx,
        await row(referral.referrerId),
        referral.id,
        'referrer',
        program.referrerReward,
      );

  const [updated] = await tx
    .update(referrals)
    .set({ status: 'rewarded', rewardedAt: now, reason: capped ? 'referrer_cap_reached' : null })
    .where(and(eq(referrals.merchantId, m), eq(referrals.id, referral.id)))
    .returning();
  await recordEvent(
    tx,
    m,
    'referral.rewarded',
    {
      ...toReferralView(updated!),
      rewards: {
        referrer: capped ? null : program.referrerReward,
        referee: program.refereeReward,
        referrerPoints,
        refereePoints,
      },
    },
    now,
  );
  return 1;
}
