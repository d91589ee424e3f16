import type { EarningRuleRow } from './evaluate';
import type { Rule } from './schemas';

export function toRuleView(r: EarningRuleRow): Rule {
  return {
    id: r.id,
    name: r.name,
    event: r.event,
    condition: r.condition ?? null,
    reward: r.reward,
    limits: r.limits ?? null,
    startsAt: r.startsAt?.toISOString() ?? null,
    endsAt: r.endsAt?.toISOString() ?? null,
    priority: r.priority,
    stackable: r.stackable,
    pendingDays: r.pendingDays,
    applyTierMultiplier: r.applyTierMultiplier,
    active: r.active,
    budgetUsed: r.budgetUsed,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
