import type { VerbContext } from '../../deps';
import { type TierRow, tierById, tierLadder } from '../tiers/ladder';
import { rollingEarned } from '../tiers/qualifying-points';
import type { CustomerRow } from './view';

export interface TierStanding {
  tier: { id: string; name: string } | null;
  nextTier: { name: string; threshold: number; window: TierRow['window']; pointsNeeded: number } | null;
}

/** The customer's tier and what it takes to reach the next one up. */
export async function tierStanding(ctx: VerbContext, customer: CustomerRow): Promise<TierStanding> {
  const ladder = await tierLadder(ctx.db, ctx.merchant);
  if (ladder.length === 0) return { tier: null, nextTier: null };
  const current = tierById(ladder, customer.tierId);
  const next = ladder.find((t) => t.rank > (current?.rank ?? -1)) ?? null;
  let nextTier: TierStanding['nextTier'] = null;
  if (next) {
    const have =
      next.window === 'lifetime'
        ? customer.lifetimeEarned
        : await rollingEarned(ctx.db, ctx.merchant.id, customer.id, ctx.clock.now());
    nextTier = {
      name: next.name,
      threshold: next.threshold,
      window: next.window,
      pointsNeeded: Math.max(0, next.threshold - have),
    };
  }
  return { tier: current ? { id: current.id, name: current.name } : null, nextTier };
}
