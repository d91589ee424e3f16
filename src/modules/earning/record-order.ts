import { and, eq, sql } from 'drizzle-orm';
import { orders } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { type Tx, withTransaction } from '../../lib/db';
import { Conflict, ValidationFailed } from '../../lib/errors';
import { contentHash } from '../../lib/hash';
import { entriesOfSource } from '../ledger/entries-of-source';
import { lockCustomer } from '../ledger/lock-customer';
import type { LedgerEntry } from '../ledger/schemas';
import { toEntryView, viewNew } from '../ledger/view';
import { referralForPaidOrder, referralOfOrder } from '../referrals/on-order-paid';
import type { Referral } from '../referrals/schemas';
import { awardForEvent } from './award';
import { type OrderRow, toOrderView } from './order-view';
import type { OrderInput } from './schemas';

export interface OrderOutcome {
  created: boolean;
  order: ReturnType<typeof toOrderView>;
  awarded: LedgerEntry[];
  referral?: Referral;
}

/**
 * Records a paid order and awards its points. Idempotent on the order id: the unique key
 * is claimed first, so a concurrent or later repost waits for the first and then replays its
 * result (or gets 409 if the content differs) — it never awards again.
 */
export async function recordOrder(ctx: VerbContext, input: OrderInput): Promise<OrderOutcome> {
  if (input.currency !== ctx.merchant.currency) {
    throw new ValidationFailed([
      { path: 'currency', message: `must be the merchant's currency ${ctx.merchant.currency}` },
    ]);
  }
  const hash = await contentHash(input);
  const now = ctx.clock.now();
  const paidAt = input.paidAt ?? now;
  return withTransaction(ctx.db, async (tx) => {
    const [inserted] = await tx
      .insert(orders)
      .values({
        merchantId: ctx.merchant.id,
        id: input.id,
        customerId: input.customerId,
        total: input.total,
        currency: input.currency,
        items: JSON.stringify(input.items ?? []),
        channel: input.channel ?? null,
        referralCode: input.referralCode ?? null,
        paidAt,
        requestHash: hash,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) return replayOrder(tx, ctx, input.id, hash);

    const customer = await lockCustomer(tx, ctx, input.customerId);
    const { entries } = await awardForEvent(tx, ctx, customer, {
      event: { ...input, paidAt: paidAt.toISOString(), type: 'order.paid' },
      amount: input.total,
      occurredAt: paidAt,
      source: { type: 'order', id: input.id },
      defaultPendingDays: ctx.merchant.pendingDays,
      ordersCount: customer.ordersCount + 1,
      also: (earned) =>
        earned > 0
          ? [
              sql`update orders set points_earned = ${earned} where merchant_id = ${ctx.merchant.id} and id = ${input.id}`,
            ]
          : [],
    });
    const earned = entries.reduce((s, e) => s + e.points, 0);
    const referral = await referralForPaidOrder(tx, ctx, customer, {
      id: input.id,
      total: input.total,
      paidAt,
      referralCode: input.referralCode ?? null,
    });
    return {
      created: true,
      order: toOrderView({ ...inserted, pointsEarned: earned }),
      awarded: entries.map(viewNew(input.customerId, now)),
      ...(referral && { referral }),
    };
  });
}

async function replayOrder(tx: Tx, ctx: VerbContext, id: string, hash: string): Promise<OrderOutcome> {
  const [order] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.merchantId, ctx.merchant.id), eq(orders.id, id)));
  if (!order) throw new Conflict('The order is being recorded by another request; retry.');
  if (order.requestHash !== hash) {
    throw new Conflict(`Order ${id} was already recorded with different content.`, { orderId: id });
  }
  const referral = await referralOfOrder(tx, ctx, id);
  return {
    created: false,
    order: toOrderView(order),
    awarded: await earnedEntries(tx, ctx, order),
    ...(referral && { referral }),
  };
}

async function earnedEntries(tx: Tx, ctx: VerbContext, order: OrderRow): Promise<LedgerEntry[]> {
  const rows = await entriesOfSource(tx, ctx.merchant.id, { type: 'order', id: order.id }, { kind: 'earn' });
  const now = ctx.clock.now();
  return rows.map((r) => toEntryView(r, now));
}
