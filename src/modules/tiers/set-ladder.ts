import { and, eq, isNull } from 'drizzle-orm';
import { merchants, tiers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordConfigChange } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { newId } from '../../lib/ids';
import type { TierRow } from './ladder';
import { reevaluateTiers } from './reevaluate';
import type { TierLadderInput } from './schemas';

/**
 * Replaces the ladder. Tiers keep their id when their name stays, so customers stay put;
 * removed tiers are retired (never deleted). Customers who now qualify higher move up at once.
 */
export async function setTierLadder(ctx: VerbContext, input: TierLadderInput): Promise<TierRow[]> {
  return withTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    // Lock the merchant row: two ladder changes at once would interleave ranks.
    await tx
      .select({ id: merchants.id })
      .from(merchants)
      .where(eq(merchants.id, ctx.merchant.id))
      .for('update');
    const live = await tx
      .select()
      .from(tiers)
      .where(and(eq(tiers.merchantId, ctx.merchant.id), isNull(tiers.retiredAt)));
    const byName = new Map(live.map((t) => [t.name.toLowerCase(), t]));
    const kept = new Set<string>();
    const result: TierRow[] = [];
    for (const [rank, t] of input.entries()) {
      const existing = byName.get(t.name.toLowerCase());
      const values = {
        name: t.name,
        rank,
        threshold: t.threshold,
        window: t.window,
        earnMultiplier: t.earnMultiplier,
      };
      if (existing) {
        kept.add(existing.id);
        const [row] = await tx
          .update(tiers)
          .set(values)
          .where(and(eq(tiers.merchantId, ctx.merchant.id), eq(tiers.id, existing.id)))
          .returning();
        result.push(row!);
      } else {
        const [row] = await tx
          .insert(tiers)
          .values({ merchantId: ctx.merchant.id, id: newId('tier', now), ...values, createdAt: now })
          .returning();
        result.push(row!);
      }
    }
    for (const t of live) {
      if (!kept.has(t.id)) {
        await tx
          .update(tiers)
          .set({ retiredAt: now })
          .where(and(eq(tiers.merchantId, ctx.merchant.id), eq(tiers.id, t.id)));
      }
    }
    await recordConfigChange(tx, ctx, {
      action: 'tiers.replaced',
      targetType: 'tiers',
      changes: {
        before: live.map(({ name, threshold, window, earnMultiplier }) => ({
          name,
          threshold,
          window,
          earnMultiplier,
        })),
        after: input,
      },
    });
    await reevaluateTiers(tx, ctx.merchant.id, now, 'upgrade');
    return result;
  });
}
