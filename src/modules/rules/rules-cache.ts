import { and, eq, isNull } from 'drizzle-orm';
import { earningRules } from '../../../db/schema';
import type { Merchant } from '../../deps';
import type { Executor } from '../../lib/db';
import type { EarningRuleRow } from './evaluate';

const MAX_ENTRIES = 1_000;
const cache = new Map<string, EarningRuleRow[]>();

/**
 * The merchant's non-deleted rules for an event type (inactive ones included, so a preview
 * can say why they did not apply). Cached per instance under the merchant's
 * `configVersion`: every rule change bumps it, which makes older entries unreachable; they
 * age out as the map, bounded and least-recently-used first, evicts them. `budgetUsed` in
 * these rows is a snapshot: read it fresh with `loadRuleUsage`. Callers must not mutate them.
 */
export async function activeRulesFor(
  db: Executor,
  merchant: Pick<Merchant, 'id' | 'configVersion'>,
  eventType: string,
): Promise<EarningRuleRow[]> {
  const key = `${merchant.id}:${merchant.configVersion}:${eventType}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const rows = await db
    .select()
    .from(earningRules)
    .where(
      and(
        eq(earningRules.merchantId, merchant.id),
        eq(earningRules.event, eventType),
        isNull(earningRules.deletedAt),
      ),
    );
  for (const row of rows) Object.freeze(row);
  Object.freeze(rows);
  cache.set(key, rows);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return rows;
}

/** Empties the cache (tests). */
export function clearRulesCache(): void {
  cache.clear();
}
