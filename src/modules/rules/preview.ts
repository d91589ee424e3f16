import { and, eq, isNull } from 'drizzle-orm';
import { customers, tiers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { evaluateRules, type RuleFacts } from './evaluate';
import { activeRulesFor } from './rules-cache';
import type { PreviewInput, PreviewResult } from './schemas';
import { loadRuleUsage } from './usage';

/**
 * A dry run of the earning rules for one event. Reads only: an unknown customer is not
 * created, nothing is awarded, no budget is used. A known customer (`event.customerId`)
 * brings their tier, tags, orders, lifetime earnings and cap usage; `customer` facts sent
 * with the request override theirs. Time windows and cap periods are taken at the event's
 * own time (`paidAt`, `occurredAt`, `respondedAt`), else now.
 */
export async function previewRules(ctx: VerbContext, input: PreviewInput): Promise<PreviewResult> {
  const { event } = input;
  const sentAt = event.paidAt ?? event.occurredAt ?? event.respondedAt;
  const at = sentAt ? new Date(sentAt) : ctx.clock.now();
  const known = event.customerId ? await customerFacts(ctx, event.customerId) : null;
  const given = input.customer ?? {};
  const customer: RuleFacts['customer'] = {
    tier: given.tier !== undefined ? given.tier : (known?.tier ?? null),
    tags: given.tags ?? known?.tags ?? [],
    ordersCount: given.ordersCount ?? known?.ordersCount ?? 0,
    lifetimeEarned: given.lifetimeEarned ?? known?.lifetimeEarned ?? 0,
  };
  const tierMultiplier =
    given.tier !== undefined ? await multiplierOfTier(ctx, given.tier) : (known?.tierMultiplier ?? 1);
  const rules = await activeRulesFor(ctx.db, ctx.merchant, event.type);
  const usage = await loadRuleUsage(ctx.db, ctx.merchant, known ? event.customerId! : null, rules, at);
  const amount =
    event.type === 'order.paid' ? (event.total ?? null) : (event.amount ?? event.properties?.amount ?? null);
  const result = evaluateRules({
    rules,
    facts: { event, customer },
    amount,
    tierMultiplier,
    now: at,
    usage,
  });
  return {
    ...result,
    facts: { customer, knownCustomer: known !== null, amount, tierMultiplier, at: at.toISOString() },
  };
}

async function customerFacts(ctx: VerbContext, id: string) {
  const [row] = await ctx.db
    .select({
      tags: customers.tags,
      ordersCount: customers.ordersCount,
      lifetimeEarned: customers.lifetimeEarned,
      tier: tiers.name,
      tierMultiplier: tiers.earnMultiplier,
    })
    .from(customers)
    .leftJoin(tiers, and(eq(tiers.merchantId, customers.merchantId), eq(tiers.id, customers.tierId)))
    .where(and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, id)));
  return row ? { ...row, tierMultiplier: row.tierMultiplier ?? 1 } : null;
}

async function multiplierOfTier(ctx: VerbContext, name: string | null): Promise<number> {
  if (name === null) return 1;
  const [row] = await ctx.db
    .select({ earnMultiplier: tiers.earnMultiplier })
    .from(tiers)
    .where(and(eq(tiers.merchantId, ctx.merchant.id), eq(tiers.name, name), isNull(tiers.retiredAt)));
  return row?.earnMultiplier ?? 1;
}
