import { and, eq, inArray, sql } from 'drizzle-orm';
import { customers, ledgerEntries, orders, refunds } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { type Tx, withTransaction } from '../../lib/db';
import { Conflict, InvalidState, NotFound, ValidationFailed } from '../../lib/errors';
import { contentHash } from '../../lib/hash';
import { entriesOfSource } from '../ledger/entries-of-source';
import { lockCustomer } from '../ledger/lock-customer';
import { reverseEntries } from '../ledger/reverse';
import type { EntryRow } from '../ledger/types';
import { toEntryView, viewNew } from '../ledger/view';
import { reverseReferralForRefund } from '../referrals/on-refund';
import type { OrderRow } from './order-view';
import type { RefundInput } from './schemas';

type RefundRow = typeof refunds.$inferSelect;

/**
 * Records a refund and claws back the points its order earned. Refund arithmetic: after
 * this refund, the order has reversed floor(pointsEarned × refundedAmount / total) in all
 * (everything once fully refunded); this refund reverses the difference from what earlier
 * refunds reversed. Line refunds count the lines' amounts. Idempotent on the refund id.
 */
export async function refundOrder(ctx: VerbContext, orderId: string, input: RefundInput) {
  const hash = await contentHash({ orderId, ...input });
  const now = ctx.clock.now();
  return withTransaction(ctx.db, async (tx) => {
    // The order row lock serialises refunds of one order (taken before the customer's).
    const [order] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.merchantId, ctx.merchant.id), eq(orders.id, orderId)))
      .for('update');
    if (!order) throw new NotFound('order');

    const [existing] = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.merchantId, ctx.merchant.id), eq(refunds.id, input.id)));
    if (existing) return replayRefund(tx, ctx, existing, hash);

    const amount = await refundAmount(tx, ctx, order, input);
    const refunded = order.refundedAmount + amount;
    const targetReversed =
      refunded >= order.total ? order.pointsEarned : floorShare(order.pointsEarned, refunded, order.total);
    const toReverse = Math.max(0, targetReversed - order.pointsReversed);

    const [refund] = await tx
      .insert(refunds)
      .values({
        merchantId: ctx.merchant.id,
        id: input.id,
        orderId,
        amount,
        items: input.items ? JSON.stringify(input.items) : null,
        requestHash: hash,
        pointsReversed: toReverse,
        createdAt: now,
      })
      .returning();
    await tx
      .update(orders)
      .set({ refundedAmount: refunded, pointsReversed: order.pointsReversed + toReverse })
      .where(and(eq(orders.merchantId, ctx.merchant.id), eq(orders.id, orderId)));
    // The customer's insight facts: refunded money lowers the revenue of a referred customer.
    await tx
      .update(customers)
      .set({ ordersRefunded: sql`${customers.ordersRefunded} + ${amount}` })
      .where(and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, order.customerId)));

    await reverseReferralForRefund(tx, ctx, order, refunded);
    let reversed: ReturnType<ReturnType<typeof viewNew>>[] = [];
    if (toReverse > 0) {
      const customer = await lockCustomer(tx, ctx, order.customerId);
      const targets = await allocate(tx, ctx, order, refunded, toReverse);
      const result = await reverseEntries(tx, ctx, customer, targets, {
        type: 'refund',
        id: input.id,
        reason: `refund of order ${orderId}`,
      });
      reversed = result.entries.map(viewNew(order.customerId, now));
    }
    return { created: true, refund: toRefundView(refund!), reversed };
  });
}

function floorShare(points: number, part: number, whole: number): number {
  return Number((BigInt(points) * BigInt(part)) / BigInt(whole));
}

async function refundAmount(tx: Tx, ctx: VerbContext, order: OrderRow, input: RefundInput): Promise<number> {
  const refundable = order.total - order.refundedAmount;
  if (refundable <= 0)
    throw new InvalidState('order', 'refunded', `Order ${order.id} is already fully refunded.`);
  if (input.amount !== undefined) {
    if (input.amount > refundable) {
      throw new ValidationFailed([{ path: 'amount', message: `exceeds the refundable ${refundable}` }]);
    }
    if (input.amount === 0) throw new ValidationFailed([{ path: 'amount', message: 'must be positive' }]);
    return input.amount;
  }
  if (!input.items) return refundable;

  const lines = JSON.parse(order.items) as { sku: string; quantity: number; unitPrice: number }[];
  const earlier = await tx
    .select({ items: refunds.items })
    .from(refunds)
    .where(and(eq(refunds.merchantId, ctx.merchant.id), eq(refunds.orderId, order.id)));
  const refundedQty = new Map<string, number>();
  for (const r of earlier) {
    for (const i of r.items ? (JSON.parse(r.items) as { sku: string; quantity: number }[]) : []) {
      refundedQty.set(i.sku, (refundedQty.get(i.sku) ?? 0) + i.quantity);
    }
  }
  let amount = 0;
  const errors: { path: string; message: string }[] = [];
  input.items.forEach((item, i) => {
    const ordered = lines.filter((l) => l.sku === item.sku);
    const orderedQty = ordered.reduce((s, l) => s + l.quantity, 0);
    const left = orderedQty - (refundedQty.get(item.sku) ?? 0);
    if (ordered.length === 0) errors.push({ path: `items.${i}.sku`, message: 'is not a line of this order' });
    else if (item.quantity > left)
      errors.push({ path: `items.${i}.quantity`, message: `exceeds the ${left} not yet refunded` });
    else {
      amount += item.quantity * ordered[0]!.unitPrice;
      refundedQty.set(item.sku, (refundedQty.get(item.sku) ?? 0) + item.quantity);
    }
  });
  if (errors.length) throw new ValidationFailed(errors);
  return Math.min(amount, refundable);
}

/** Splits the points to reverse over the order's earn entries, proportionally, never past an entry's points. */
async function allocate(tx: Tx, ctx: VerbContext, order: OrderRow, refunded: number, toReverse: number) {
  const earned = await entriesOfSource(
    tx,
    ctx.merchant.id,
    { type: 'order', id: order.id },
    { kind: 'earn' },
  );
  const reversals = earned.length
    ? await tx
        .select({
          corrects: ledgerEntries.correctsEntryId,
          points: ledgerEntries.points,
          forgiven: ledgerEntries.forgiven,
        })
        .from(ledgerEntries)
        .where(
          and(
            eq(ledgerEntries.merchantId, ctx.merchant.id),
            eq(ledgerEntries.kind, 'reverse'),
            inArray(
              ledgerEntries.correctsEntryId,
              earned.map((e) => e.id),
            ),
          ),
        )
    : [];
  const done = new Map<string, number>();
  for (const r of reversals) done.set(r.corrects!, (done.get(r.corrects!) ?? 0) - r.points + r.forgiven);

  const full = refunded >= order.total;
  const targets = earned.map((e: EntryRow) => {
    const room = e.points - (done.get(e.id) ?? 0);
    const share = full ? e.points : floorShare(e.points, refunded, order.total);
    return { entry: e, room, points: Math.max(0, Math.min(room, share - (done.get(e.id) ?? 0))) };
  });
  let left = toReverse - targets.reduce((s, t) => s + t.points, 0);
  for (const t of targets) {
    if (left <= 0) break;
    const extra = Math.min(left, t.room - t.points);
    if (extra > 0) {
      t.points += extra;
      left -= extra;
    }
  }
  let over = -left;
  for (const t of [...targets].reverse()) {
    if (over <= 0) break;
    const cut = Math.min(over, t.points);
    t.points -= cut;
    over -= cut;
  }
  return targets.map(({ entry, points }) => ({ entry, points }));
}

async function replayRefund(tx: Tx, ctx: VerbContext, refund: RefundRow, hash: string) {
  if (refund.requestHash !== hash) {
    throw new Conflict(`Refund ${refund.id} was already recorded with different content.`, {
      refundId: refund.id,
    });
  }
  const rows = await entriesOfSource(tx, ctx.merchant.id, { type: 'refund', id: refund.id });
  const now = ctx.clock.now();
  return { created: false, refund: toRefundView(refund), reversed: rows.map((r) => toEntryView(r, now)) };
}

function toRefundView(r: RefundRow) {
  return {
    id: r.id,
    orderId: r.orderId,
    amount: r.amount,
    pointsReversed: r.pointsReversed,
    createdAt: r.createdAt.toISOString(),
  };
}
