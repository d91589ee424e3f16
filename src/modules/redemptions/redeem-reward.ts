import { rewards } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { type Params, rawQuery, rowOf, type Tx, withTransaction } from '../../lib/db';
import { InsufficientPoints, NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { consumeLots } from '../ledger/consume-lots';
import { debitPoints } from '../ledger/debit';
import { lockedCustomerColumns, readLockedCustomer } from '../ledger/lock-customer';
import { assignCouponCode } from './coupons';
import { assertEligible, takeStock } from './eligibility';
import { DEFAULT_TTL_SECONDS, type RedeemInput } from './schemas';
import { eventData, type RedemptionRow, termsOf } from './view';

/**
 * Spends a customer's points on a reward, in one transaction under the customer's lock:
 * eligibility, a stock unit, a coupon code, the FIFO debit and the redemption row commit
 * together or not at all. `issue` hands out the coupon at once; `reserve` only holds the
 * points (they move to `reserved`) until commit, release or the TTL.
 */
export async function redeemReward(ctx: VerbContext, input: RedeemInput): Promise<RedemptionRow> {
  const now = ctx.clock.now();
  const id = newId('redemption', now);
  const reserve = input.mode === 'reserve';
  return withTransaction(ctx.db, async (tx) => {
    const { customer, reward } = await lockCustomerAndReward(tx, ctx, input.customerId, input.rewardId);
    await assertEligible(tx, ctx, customer, reward);
    // Checked before the stock update, so a customer who cannot pay never locks the reward row.
    if (customer.available < reward.costPoints) {
      throw new InsufficientPoints(customer.available, reward.costPoints);
    }
    // Independent of each other and of nothing read since the lock: sent together, so
    // postgres.js pipelines them on the transaction's connection (one round trip, not three).
    const [stockTaken, couponCode, spend] = await Promise.all([
      takeStock(tx, ctx, reward),
      assignCouponCode(tx, ctx, reward.id, id),
      consumeLots(tx, ctx.merchant.id, customer.id, reward.costPoints),
    ]);
    const row: RedemptionRow = {
      merchantId: ctx.merchant.id,
      id,
      customerId: customer.id,
      rewardId: reward.id,
      status: reserve ? 'reserved' : 'issued',
      pointsSpent: reward.costPoints,
      terms: termsOf(reward),
      couponCode,
      orderId: null,
      expiresAt: reserve ? new Date(now.getTime() + (input.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000) : null,
      stockTaken,
      debitEntryId: null,
      sourceType: null,
      sourceId: null,
      issuedAt: reserve ? null : now,
      usedAt: null,
      resolvedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const { entry } = await debitPoints(
      tx,
      ctx,
      customer,
      {
        kind: 'redeem',
        points: reward.costPoints,
        sourceType: 'redemption',
        sourceId: id,
        reason: reward.name,
        dedupeKey: `redemption:${id}`,
        reserve,
      },
      {
        events: [{ type: reserve ? 'redemption.reserved' : 'redemption.issued', data: eventData(row) }],
        also: (debit) => [(p) => insertRedemption(p, { ...row, debitEntryId: debit.id })],
        spend,
      },
    );
    row.debitEntryId = entry.id;
    return row;
  });
}

const rewardRow = rowOf(rewards);

/**
 * Locks the customer (404 if unknown) and reads the live reward (404 if unknown) in one
 * statement. The reward is not locked: its stock is taken by a conditional update.
 */
async function lockCustomerAndReward(tx: Tx, ctx: VerbContext, customerId: string, rewardId: string) {
  const [row] = await rawQuery<Record<string, unknown>>(
    tx,
    `select ${lockedCustomerColumns('$4')}, ${rewardRow.columns('r', 'r.')}
     from customers c
     left join rewards r on r.merchant_id = c.merchant_id and r.id = $3 and r.deleted_at is null
     where c.merchant_id = $1 and c.id = $2
     for update of c`,
    [ctx.merchant.id, customerId, rewardId, ctx.clock.now().toISOString()],
  );
  if (!row) throw new NotFound('customer');
  const customer = await readLockedCustomer(tx, ctx, row);
  if (row['r.id'] === null) throw new NotFound('reward');
  return { customer, reward: rewardRow.read(row, 'r.') };
}

/** The redemption row, written by the same statement as its debit. */
function insertRedemption(p: Params, r: RedemptionRow): string {
  const ts = (d: Date | null) => p.add(d ? d.toISOString() : null);
  return `insert into redemptions (merchant_id, id, customer_id, reward_id, status, points_spent, terms, coupon_code,
      order_id, expires_at, stock_taken, debit_entry_id, source_type, source_id, issued_at, used_at, resolved_at,
      created_at, updated_at)
    values (${p.add(r.merchantId)}, ${p.add(r.id)}, ${p.add(r.customerId)}, ${p.add(r.rewardId)}, ${p.add(r.status)},
      ${p.add(r.pointsSpent)}::int, ${p.add(JSON.stringify(r.terms))}::jsonb, ${p.add(r.couponCode)}, ${p.add(r.orderId)},
      ${ts(r.expiresAt)}::timestamptz, ${p.add(r.stockTaken)}::boolean, ${p.add(r.debitEntryId)}, ${p.add(r.sourceType)},
      ${p.add(r.sourceId)}, ${ts(r.issuedAt)}::timestamptz, ${ts(r.usedAt)}::timestamptz, ${ts(r.resolvedAt)}::timestamptz,
      ${ts(r.createdAt)}::timestamptz, ${ts(r.updatedAt)}::timestamptz)`;
}
