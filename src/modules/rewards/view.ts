import type { rewards } from '../../../db/schema';
import type { Reward } from './schemas';

export type RewardRow = typeof rewards.$inferSelect;

export function toRewardView(r: RewardRow): Reward {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    kind: r.kind,
    value: r.value,
    currency: r.currency,
    productId: r.productId,
    costPoints: r.costPoints,
    minTier: r.minTier,
    stock: r.stock,
    perCustomerLimit: r.perCustomerLimit,
    startsAt: r.startsAt?.toISOString() ?? null,
    endsAt: r.endsAt?.toISOString() ?? null,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
