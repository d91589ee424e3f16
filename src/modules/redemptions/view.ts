import type { RewardTerms, redemptions } from '../../../db/schema';
import type { RewardRow } from '../rewards/view';
import type { Redemption, RedemptionReward } from './schemas';

export type RedemptionRow = typeof redemptions.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function rewardOf(r: RedemptionRow): RedemptionReward {
  const { name, kind, value, currency, productId } = r.terms;
  return { id: r.rewardId, name, kind, value, currency, productId };
}

export function toRedemptionView(r: RedemptionRow): Redemption {
  return {
    id: r.id,
    customerId: r.customerId,
    rewardId: r.rewardId,
    status: r.status,
    // A reservation's code is held for it but handed out only on commit.
    couponCode: r.status === 'reserved' ? null : r.couponCode,
    pointsSpent: r.pointsSpent,
    expiresAt: r.status === 'reserved' || r.status === 'expired' ? iso(r.expiresAt) : null,
    orderId: r.orderId,
    reward: rewardOf(r),
    source: r.sourceType && r.sourceId ? { type: r.sourceType, id: r.sourceId } : null,
    issuedAt: iso(r.issuedAt),
    usedAt: iso(r.usedAt),
    resolvedAt: iso(r.resolvedAt),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The outbox payload of a redemption event. */
export function eventData(r: RedemptionRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const v = toRedemptionView(r);
  return {
    redemptionId: v.id,
    customerId: v.customerId,
    rewardId: v.rewardId,
    status: v.status,
    pointsSpent: v.pointsSpent,
    couponCode: v.couponCode,
    expiresAt: v.expiresAt,
    orderId: v.orderId,
    reward: v.reward,
    ...extra,
  };
}

/** What the reward gives, frozen onto the redemption. */
export function termsOf(r: RewardRow): RewardTerms {
  return { name: r.name, kind: r.kind, value: r.value, currency: r.currency, productId: r.productId };
}
