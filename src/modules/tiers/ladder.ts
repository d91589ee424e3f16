import { and, asc, eq, isNull } from 'drizzle-orm';
import { tiers } from '../../../db/schema';
import type { Merchant } from '../../deps';
import type { Executor } from '../../lib/db';

export type TierRow = typeof tiers.$inferSelect;

const cache = new Map<string, Promise<TierRow[]>>();

/** The merchant's live ladder, lowest first; cached per config version (a change bumps it). */
export function tierLadder(db: Executor, merchant: Merchant): Promise<TierRow[]> {
  const key = `${merchant.id}:${merchant.configVersion}`;
  let ladder = cache.get(key);
  if (!ladder) {
    if (cache.size > 5_000) cache.clear();
    // `.then` runs the query now: a drizzle builder is lazy and would re-run on every await.
    ladder = db
      .select()
      .from(tiers)
      .where(and(eq(tiers.merchantId, merchant.id), isNull(tiers.retiredAt)))
      .orderBy(asc(tiers.rank))
      .then((rows) => rows);
    cache.set(key, ladder);
    ladder.catch(() => cache.delete(key));
  }
  return ladder;
}

export function tierById(ladder: TierRow[], id: string | null): TierRow | null {
  return id ? (ladder.find((t) => t.id === id) ?? null) : null;
}

/** The highest tier whose threshold the qualifying points reach. */
export function qualifyingTier(
  ladder: TierRow[],
  points: { lifetime: number; rolling365: number },
): TierRow | null {
  let best: TierRow | null = null;
  for (const t of ladder) {
    const have = t.window === 'lifetime' ? points.lifetime : points.rolling365;
    if (have >= t.threshold && (!best || t.rank > best.rank)) best = t;
  }
  return best;
}
