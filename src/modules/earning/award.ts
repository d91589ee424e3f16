import { sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query, type Tx } from '../../lib/db';
import { DAY_MS } from '../../lib/time';
import { type Credit, postCredits } from '../ledger/credit';
import type { AlsoPart, CustomerRow, NewEntry } from '../ledger/types';
import { evaluateRules, type MatchedRule } from '../rules/evaluate';
import { activeRulesFor } from '../rules/rules-cache';
import { loadRuleUsage } from '../rules/usage';
import { tierById, tierLadder } from '../tiers/ladder';
import { upgradeTier } from '../tiers/upgrade-tier';

export interface AwardInput {
  event: Record<string, unknown> & { type: string };
  /** Minor units that `points_per_amount` rules apply to; null when the event has none. */
  amount: number | null;
  occurredAt: Date;
  source: { type: string; id: string };
  /** Pending days when the rule sets none: the merchant's for orders, 0 for everything else. */
  defaultPendingDays: number;
  /** The customer's paid-orders count after this event (orders only). */
  ordersCount?: number;
  /** Further writes of the same statement, given the points awarded (e.g. the order's total). */
  also?: (awarded: number) => AlsoPart[];
}

/**
 * Evaluates the merchant's rules for an event and posts what they award, for a customer
 * already locked by the caller: caps and budgets are read under that lock, so concurrent
 * events cannot both slip under a cap. One credit per matched rule, each with a dedupe key
 * `(source, rule)` so the same event can never award twice.
 */
export async function awardForEvent(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  input: AwardInput,
): Promise<{ customer: CustomerRow; entries: NewEntry[] }> {
  // Both are cached per config version; on a miss they run one after the other on the transaction.
  const rules = await activeRulesFor(tx, ctx.merchant, input.event.type);
  const ladder = await tierLadder(tx, ctx.merchant);
  const tier = tierById(ladder, customer.tierId);
  const capped = rules.some((r) => r.limits?.perCustomer || r.limits?.budget !== undefined);
  const usage = capped
    ? await loadRuleUsage(tx, ctx.merchant, customer.id, rules, input.occurredAt)
    : new Map();
  const evaluation = evaluateRules({
    rules,
    facts: {
      event: input.event,
      customer: {
        tier: tier?.name ?? null,
        tags: customer.tags,
        ordersCount: customer.ordersCount,
        lifetimeEarned: customer.lifetimeEarned,
      },
    },
    amount: input.amount,
    tierMultiplier: tier?.earnMultiplier ?? 1,
    now: input.occurredAt,
    usage,
  });

  const credits: Credit[] = [];
  for (const m of evaluation.matched) {
    const rule = rules.find((r) => r.id === m.ruleId)!;
    const points = rule.limits?.budget !== undefined ? await takeBudget(tx, ctx.merchant.id, m) : m.points;
    if (points <= 0) continue;
    const pendingDays = m.pendingDays ?? input.defaultPendingDays;
    credits.push({
      kind: 'earn',
      points,
      occurredAt: input.occurredAt,
      availableAt: new Date(input.occurredAt.getTime() + pendingDays * DAY_MS),
      sourceType: input.source.type,
      sourceId: input.source.id,
      ruleId: m.ruleId,
      dedupeKey: `${input.source.type}:${input.source.id}:rule:${m.ruleId}`,
    });
  }

  const posted = await postCredits(tx, ctx, customer, credits, {
    ...(input.ordersCount !== undefined && { ordersCount: input.ordersCount }),
    ...(input.also && { also: input.also(credits.reduce((sum, c) => sum + c.points, 0)) }),
  });
  const upgraded = credits.length > 0 ? await upgradeTier(tx, ctx, posted.customer) : posted.customer;
  return { customer: upgraded, entries: posted.entries };
}

/**
 * Takes up to `points` from the rule's total budget under the rule row's lock, so concurrent
 * awards never overspend it. Returns what was granted (maybe less, maybe zero).
 */
async function takeBudget(tx: Tx, merchantId: string, m: MatchedRule): Promise<number> {
  const [row] = await query<{ granted: number }>(
    tx,
    sql`with r as (
          select id, greatest(0, least(${m.points}::int, (limits->>'budget')::int - budget_used)) as granted
          from earning_rules where merchant_id = ${merchantId} and id = ${m.ruleId} for update)
        update earning_rules e set budget_used = e.budget_used + r.granted
        from r where e.merchant_id = ${merchantId} and e.id = r.id
        returning r.granted`,
  );
  return Number(row?.granted ?? 0);
}
