import type { VerbContext } from '../../deps';
import { toCustomerView } from '../customers/view';
import { listRewards } from '../rewards/list-rewards';
import type { RewardRow } from '../rewards/view';
import { type TierRow, tierById, tierLadder } from '../tiers/ladder';
import { ownCustomer } from './own-customer';
import type { MyReward } from './schemas';
import { toMyRewardView } from './view';

/** More than a storefront can show; a catalog past it lists its first rewards by id. */
const MAX_REWARDS = 500;

/**
 * The rewards a customer can see now (active, inside their window), cheapest first, each with
 * whether the balance covers it and whether the tier allows it — the same tier rule redemption
 * applies, so a button the widget enables is one the API will honour.
 */
export async function listMyRewards(ctx: VerbContext, customerId: string): Promise<MyReward[]> {
  const now = ctx.clock.now();
  const [row, ladder, rewards] = await Promise.all([
    ownCustomer(ctx, customerId),
    tierLadder(ctx.db, ctx.merchant),
    activeRewards(ctx),
  ]);
  const { available } = toCustomerView(row).points;
  const current = tierById(ladder, row.tierId);
  return rewards
    .filter((r) => (!r.startsAt || r.startsAt <= now) && (!r.endsAt || r.endsAt > now))
    .sort((a, b) => a.costPoints - b.costPoints || (a.id < b.id ? -1 : 1))
    .map((r) => toMyRewardView(r, { available, eligible: tierAllows(ladder, current, r.minTier) }));
}

async function activeRewards(ctx: VerbContext): Promise<RewardRow[]> {
  const all: RewardRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRewards(ctx, { limit: 100, cursor, active: true });
    all.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && all.length < MAX_REWARDS);
  return all;
}

// Mirrors the redemption check: `minTier` names a live tier, matched case-insensitively; a tier
// that left the ladder cannot be reached.
function tierAllows(ladder: TierRow[], current: TierRow | null, minTier: string | null): boolean {
  if (minTier === null) return true;
  const required = ladder.find((t) => t.name.toLowerCase() === minTier.toLowerCase());
  return Boolean(required && current && current.rank >= required.rank);
}
