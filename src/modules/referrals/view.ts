import type { referrals } from '../../../db/schema';
import type { Program } from './program';
import type { Referral, ReferralProgram, RejectionReason } from './schemas';

export type ReferralRow = typeof referrals.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toReferralView(r: ReferralRow): Referral {
  return {
    id: r.id,
    code: r.code,
    referrerId: r.referrerId,
    refereeId: r.refereeId,
    status: r.status,
    reason: r.reason as RejectionReason | null,
    orderId: r.orderId,
    attributedOrderId: r.attributedOrderId,
    attributedAt: r.attributedAt.toISOString(),
    qualifiedAt: iso(r.qualifiedAt),
    holdUntil: iso(r.holdUntil),
    rewardedAt: iso(r.rewardedAt),
    reversedAt: iso(r.reversedAt),
    createdAt: r.createdAt.toISOString(),
  };
}

export function toProgramView(p: Program): ReferralProgram {
  return {
    active: p.active,
    referrerReward: p.referrerReward,
    refereeReward: p.refereeReward,
    minOrderTotal: p.minOrderTotal,
    holdDays: p.holdDays,
    attributionWindowDays: p.attributionWindowDays,
    maxRewardedPerReferrer: p.maxRewardedPerReferrer,
    linkTemplate: p.linkTemplate,
    updatedAt: iso(p.updatedAt),
  };
}
