import type { earningRules } from '../../../db/schema';
import { runCondition } from './condition';

export type EarningRuleRow = typeof earningRules.$inferSelect;

export interface RuleFacts {
  event: Record<string, unknown> & { type: string };
  customer: { tier: string | null; tags: string[]; ordersCount: number; lifetimeEarned: number };
}
/** Per rule id: awards to this customer in the rule's cap period, and points the rule has awarded in all. */
export interface RuleUsage {
  periodCount: number;
  budgetUsed: number;
}
export interface EvaluationInput {
  rules: EarningRuleRow[];
  facts: RuleFacts;
  /** Minor units the `points_per_amount` rewards apply to; null if the event has none. */
  amount: number | null;
  tierMultiplier: number;
  now: Date;
  usage: Map<string, RuleUsage>;
}
export interface MatchedRule {
  ruleId: string;
  points: number;
  pendingDays: number | null;
  /** Why, for people: condition, base computation, rounding, tier multiplier, budget trimming. */
  trace: Record<string, unknown>;
}
export type SkipReason =
  | 'inactive'
  | 'outside_window'
  | 'condition_false'
  | 'cap_reached'
  | 'budget_exhausted'
  | 'superseded'
  | 'no_amount'
  | 'zero_points';
export interface SkippedRule {
  ruleId: string;
  reason: SkipReason;
  detail: string;
}
export interface Evaluation {
  matched: MatchedRule[];
  skipped: SkippedRule[];
  total: number;
}

/** Multipliers are exact to 4 decimals: factors become integers over SCALE. */
const SCALE = 10_000n;
/** An award must fit the ledger's integer column. */
const MAX_AWARD = 2_147_483_647n;

/** Evaluation order: priority descending, then oldest first, then id. */
export function compareRules(a: EarningRuleRow, b: EarningRuleRow): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const t = a.createdAt.getTime() - b.createdAt.getTime();
  if (t !== 0) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Which rules award how many points for one event. Pure: the caller loads rules, facts and
 * usage (inside its transaction, after locking the customer) and writes the entries.
 *
 * Base rules (`points_per_amount`, `fixed`) run first in `compareRules` order; a rule not
 * `stackable` applies only if no earlier base rule applied, and then supersedes every later
 * one. `multiplier` rules run next, each adding `floor(sum of applied base points ×
 * (factor − 1))`; among multipliers, `stackable: false` is exclusive in the same way.
 */
export function evaluateRules(input: EvaluationInput): Evaluation {
  const { amount, facts, now, usage } = input;
  if (amount !== null && !(Number.isSafeInteger(amount) && amount >= 0)) {
    throw new RangeError(`amount must be a non-negative safe integer, got ${amount}`);
  }
  const tier = scaled(input.tierMultiplier, 'tierMultiplier');
  const rules = input.rules
    .filter((r) => r.event === facts.event.type && r.deletedAt === null)
    .sort(compareRules);
  const matched: MatchedRule[] = [];
  const skipped: SkippedRule[] = [];
  const skip = (rule: EarningRuleRow, reason: SkipReason, detail: string) => {
    skipped.push({ ruleId: rule.id, reason, detail });
  };
  const data = { event: facts.event, customer: facts.customer };

  let baseSum = 0n;
  for (const phase of ['base', 'multiplier'] as const) {
    const applied: string[] = [];
    let exclusive: string | null = null;
    for (const rule of rules) {
      if ((rule.reward.type === 'multiplier') !== (phase === 'multiplier')) continue;
      const ruleUsage = usage.get(rule.id) ?? { periodCount: 0, budgetUsed: rule.budgetUsed };
      const gate = checkGates(rule, ruleUsage, data, now);
      if ('reason' in gate) {
        skip(rule, gate.reason, gate.detail);
        continue;
      }
      const trace: Record<string, unknown> = {
        rule: rule.name,
        priority: rule.priority,
        condition: gate.condition,
      };
      let points: bigint;
      const reward = rule.reward;
      if (reward.type === 'multiplier') {
        if (baseSum === 0n) {
          skip(rule, 'zero_points', 'no base points to multiply');
          continue;
        }
        if (exclusive || (!rule.stackable && applied.length > 0)) {
          skip(rule, 'superseded', supersededDetail(exclusive, applied));
          continue;
        }
        const factor = scaled(reward.factor, 'factor');
        points = (baseSum * (factor - SCALE)) / SCALE;
        trace.base = `${baseSum} base points × (${reward.factor} − 1) = ${ratio(baseSum * (factor - SCALE), SCALE)}, floor → ${points}`;
        trace.tierMultiplier = 'already in the base points';
      } else {
        if (reward.type === 'points_per_amount' && amount === null) {
          skip(rule, 'no_amount', `the ${facts.event.type} event has no amount`);
          continue;
        }
        if (exclusive || (!rule.stackable && applied.length > 0)) {
          skip(rule, 'superseded', supersededDetail(exclusive, applied));
          continue;
        }
        points = basePoints(reward, amount ?? 0, trace);
        if (rule.applyTierMultiplier && tier !== SCALE) {
          const before = points;
          points = (points * tier) / SCALE;
          trace.tierMultiplier = `${before} × ${input.tierMultiplier} = ${ratio(before * tier, SCALE)}, floor → ${points}`;
        } else {
          trace.tierMultiplier = rule.applyTierMultiplier
            ? 'none (×1)'
            : 'not applied (applyTierMultiplier is false)';
        }
      }
      if (points > MAX_AWARD) {
        trace.capped = `${points} capped to ${MAX_AWARD}`;
        points = MAX_AWARD;
      }
      if (points === 0n) {
        skip(rule, 'zero_points', `computes to 0 points (${String(trace.base)})`);
        continue;
      }
      const budget = rule.limits?.budget;
      if (budget !== undefined) {
        const left = BigInt(budget - ruleUsage.budgetUsed);
        if (points > left) {
          trace.budget = `trimmed from ${points} to ${left}: budget ${budget}, ${ruleUsage.budgetUsed} used`;
          points = left;
        } else {
          trace.budget = `${ruleUsage.budgetUsed + Number(points)} of ${budget} used after this award`;
        }
      }
      trace.points = Number(points);
      matched.push({ ruleId: rule.id, points: Number(points), pendingDays: rule.pendingDays, trace });
      applied.push(rule.id);
      if (!rule.stackable) exclusive = rule.id;
      if (phase === 'base') baseSum += points;
    }
  }
  return { matched, skipped, total: matched.reduce((sum, m) => sum + m.points, 0) };
}

type Gate = { condition: string } | { reason: SkipReason; detail: string };

function checkGates(
  rule: EarningRuleRow,
  usage: RuleUsage,
  data: Parameters<typeof runCondition>[1],
  now: Date,
): Gate {
  if (!rule.active) return { reason: 'inactive', detail: 'the rule is not active' };
  if (rule.startsAt && now < rule.startsAt) {
    return { reason: 'outside_window', detail: `starts at ${rule.startsAt.toISOString()}` };
  }
  if (rule.endsAt && now >= rule.endsAt) {
    return { reason: 'outside_window', detail: `ended at ${rule.endsAt.toISOString()}` };
  }
  const result = runCondition(rule.condition, data);
  if (!result.holds) {
    return {
      reason: 'condition_false',
      detail: result.error ? `the condition failed: ${result.error}` : 'the condition is false',
    };
  }
  const cap = rule.limits?.perCustomer;
  if (cap && usage.periodCount >= cap.count) {
    return {
      reason: 'cap_reached',
      detail: `${usage.periodCount} of ${cap.count} awards per ${cap.period === 'lifetime' ? 'lifetime' : cap.period} already made`,
    };
  }
  const budget = rule.limits?.budget;
  if (budget !== undefined && usage.budgetUsed >= budget) {
    return { reason: 'budget_exhausted', detail: `the budget of ${budget} points is used up` };
  }
  return { condition: rule.condition == null ? 'none' : 'holds' };
}

function basePoints(
  reward: Exclude<EarningRuleRow['reward'], { type: 'multiplier' }>,
  amount: number,
  trace: Record<string, unknown>,
): bigint {
  if (reward.type === 'fixed') {
    trace.base = `fixed ${reward.points}`;
    return BigInt(reward.points);
  }
  // Exact integer arithmetic: amount × points can exceed 2^53 for large amounts.
  const numerator = BigInt(amount) * BigInt(reward.points);
  const per = BigInt(reward.per);
  const quotient = numerator / per;
  const remainder = numerator % per;
  const rounding = reward.rounding ?? 'floor';
  const up = rounding === 'ceil' ? remainder > 0n : rounding === 'round' ? remainder * 2n >= per : false;
  const points = up ? quotient + 1n : quotient;
  trace.base = `${amount} × ${reward.points} / ${reward.per} = ${ratio(numerator, per)}, ${rounding} → ${points}`;
  return points;
}

function supersededDetail(exclusive: string | null, applied: string[]): string {
  return exclusive
    ? `the exclusive rule ${exclusive} applied first`
    : `not stackable, and ${applied.join(', ')} applied first`;
}

/** A non-negative multiplier as an integer over SCALE, exact to 4 decimals. */
function scaled(value: number, name: string): bigint {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number`);
  return BigInt(Math.round(value * Number(SCALE)));
}

/** n / d as a decimal, exact to 4 places, with `…` when it goes on. */
function ratio(n: bigint, d: bigint): string {
  const whole = n / d;
  let rest = n % d;
  if (rest === 0n) return String(whole);
  let digits = '';
  for (let i = 0; i < 4 && rest !== 0n; i++) {
    rest *= 10n;
    digits += String(rest / d);
    rest %= d;
  }
  return `${whole}.${digits}${rest === 0n ? '' : '…'}`;
}
