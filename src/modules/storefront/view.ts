import type { Customer } from '../customers/schemas';
import type { RewardRow } from '../rewards/view';
import type { ExpiringPoints } from './expiring-points';
import type { Me, MyReward } from './schemas';

export function toMeView(
  c: Customer,
  extra: { expiring: ExpiringPoints | null; referralLink: string | null; storefrontRedemption: boolean },
): Me {
  const next = c.nextTier;
  return {
    id: c.id,
    name: c.name,
    points: c.points,
    tier: c.tier,
    nextTier: next && {
      ...next,
      progress:
        next.threshold > 0
          ? Math.round(((next.threshold - next.pointsNeeded) / next.threshold) * 1e4) / 1e4
          : 1,
    },
    expiringSoon: extra.expiring && { points: extra.expiring.points, at: extra.expiring.at.toISOString() },
    referralCode: c.referralCode,
    referralLink: extra.referralLink,
    storefrontRedemption: extra.storefrontRedemption,
    createdAt: c.createdAt,
  };
}

export function toMyRewardView(r: RewardRow, standing: { available: number; eligible: boolean }): MyReward {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    kind: r.kind,
    value: r.value,
    currency: r.currency,
    costPoints: r.costPoints,
    minTier: r.minTier,
    affordable: standing.available >= r.costPoints,
    pointsNeeded: Math.max(0, r.costPoints - standing.available),
    eligible: standing.eligible,
    inStock: r.stock === null || r.stock > 0,
  };
}
