import { and, eq } from 'drizzle-orm';
import { orders } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { rawQuery, type Tx, withTransaction } from '../../lib/db';
import { Conflict, ValidationFailed } from '../../lib/errors';
import { canonicalJson, contentHash } from '../../lib/hash';
import { entriesOfSource } from '../ledger/entries-of-source';
import { lockedCustomerColumns, readLockedCustomer } from '../ledger/lock-customer';
import type { LedgerEntry } from '../ledger/schemas';
import type { CustomerRow } from '../ledger/types';
import { toEntryView, viewNew } from '../ledger/view';
import { referralForPaidOrder, referralOfOrder } from '../referrals/on-order-paid';
import type { Referral } from '../referrals/schemas';
import { awardForEvent } from './award';
import { type NewOrder, type OrderRow, toOrderView } from './order-view';
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
  const now = ctx.clock.now();
  const paidAt = input.paidAt ?? now;
  const order: NewOrder = {
    merchantId: ctx.merchant.id,
    id: input.id,
    customerId: input.customerId,
    total: input.total,
    currency: input.currency,
    items: JSON.stringify(input.items ?? []),
    channel: input.channel ?? null,
    referralCode: input.referralCode ?? null,
    paidAt,
    pointsEarned: 0,
    refundedAmount: 0,
    pointsReversed: 0,
    createdAt: now,
  };
  return withTransaction(ctx.db, async (tx) => {
    const customer = await claimOrder(tx, ctx, order, canonicalJson(input));
    if (!customer) return replayOrder(tx, ctx, input.id, await contentHash(input));

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
              (p) =>
                `update orders set points_earned = ${p.add(earned)}::int
                 where merchant_id = ${p.add(ctx.merchant.id)} and id = ${p.add(input.id)}`,
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
      order: toOrderView({ ...order, pointsEarned: earned }),
      awarded: entries.map(viewNew(input.customerId, now)),
      ...(referral && { referral }),
    };
  });
}

/**
 * Inserts the order unless its id is taken and, only if it was inserted, creates or locks its
 * customer and adds the order to the customer's insight facts, in one statement: the order's unique key is claimed before the customer's lock,
 * as two statements would. Answers the locked customer, or undefined for a known order id.
 * The request hash is the SHA-256 hex of `content`, the same fingerprint `contentHash` makes
 * (hashing in the database spares an async WebCrypto job on every order).
 */
async function claimOrder(
  tx: Tx,
  ctx: VerbContext,
  o: NewOrder,
  content: string,
): Promise<CustomerRow | undefined> {
  const [row] = await rawQuery<Record<string, unknown>>(
    tx,
    `with o as (
       insert into orders (merchant_id, id, customer_id, total, currency, items, channel, referral_code, paid_at,
         request_hash, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, encode(sha256(convert_to($10, 'UTF8')), 'hex'),
         $11::timestamptz)
       on conflict do nothing
       returning customer_id)
     insert into customers as c (merchant_id, id, first_order_at, last_order_at, orders_total, created_at, updated_at)
     select $1, o.customer_id, $9::timestamptz, $9::timestamptz, $4, $11::timestamptz, $11::timestamptz from o
     on conflict (merchant_id, id) do update set
       first_order_at = least(c.first_order_at, $9::timestamptz),
       second_order_at = case when c.first_order_at is null then null
         when $9::timestamptz < c.first_order_at then c.first_order_at
         else least(c.second_order_at, $9::timestamptz) end,
       last_order_at = greatest(c.last_order_at, $9::timestamptz),
       previous_order_at = case when c.last_order_at is null then null
         when $9::timestamptz > c.last_order_at then c.last_order_at
         else greatest(c.previous_order_at, $9::timestamptz) end,
       orders_total = c.orders_total + $4
     returning ${lockedCustomerColumns('$11')}`,
    [
      o.merchantId,
      o.id,
      o.customerId,
      o.total,
      o.currency,
      o.items,
      o.channel,
      o.referralCode,
      o.paidAt.toISOString(),
      content,
      o.createdAt.toISOString(),
    ],
  );
  return row && readLockedCustomer(tx, ctx, row);
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
