import type { orders } from '../../../db/schema';

export type OrderRow = typeof orders.$inferSelect;
/** An order as recorded, before its request hash is known. */
export type NewOrder = Omit<OrderRow, 'requestHash'>;

export function toOrderView(o: NewOrder) {
  return {
    id: o.id,
    customerId: o.customerId,
    total: o.total,
    currency: o.currency,
    items: JSON.parse(o.items) as { sku: string; category?: string; quantity: number; unitPrice: number }[],
    channel: o.channel,
    referralCode: o.referralCode,
    paidAt: o.paidAt.toISOString(),
    pointsEarned: o.pointsEarned,
    refundedAmount: o.refundedAmount,
    pointsReversed: o.pointsReversed,
    createdAt: o.createdAt.toISOString(),
  };
}
