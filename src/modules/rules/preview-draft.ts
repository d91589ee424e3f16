import type { VerbContext } from '../../deps';
import { assertRuleConsistent } from './config-change';
import { compareRules, type EarningRuleRow, evaluateRules } from './evaluate';
import { findRule } from './get-rule';
import { previewRules } from './preview';
import { activeRulesFor } from './rules-cache';
import type { CreateRuleInput, PreviewInput, PreviewResult } from './schemas';
import { loadRuleUsage } from './usage';

/** The id a rule not saved yet carries in a draft preview. */
export const DRAFT_RULE_ID = 'rul_draft';

export interface DraftPreview extends PreviewResult {
  /** The rules for the event in evaluation order (base rules, then multipliers); `draft` marks the unsaved one. */
  rules: { id: string; name: string; draft: boolean }[];
}

/**
 * `previewRules` with one rule as it is being edited rather than as saved: `draft` stands in
 * for the saved rule `replaces` (an edit) or joins the merchant's rules as the newest one (a
 * new rule). Reads only, like the preview it builds on: nothing is saved or awarded.
 */
export async function previewDraftRule(
  ctx: VerbContext,
  input: PreviewInput,
  draft: CreateRuleInput,
  replaces?: string,
): Promise<DraftPreview> {
  const saved = replaces ? await findRule(ctx.db, ctx.merchant.id, replaces) : null;
  const now = ctx.clock.now();
  const row: EarningRuleRow = {
    merchantId: ctx.merchant.id,
    id: saved?.id ?? DRAFT_RULE_ID,
    name: draft.name,
    event: draft.event,
    condition: draft.condition ?? null,
    reward: draft.reward,
    limits: draft.limits ?? null,
    startsAt: draft.startsAt ?? null,
    endsAt: draft.endsAt ?? null,
    priority: draft.priority,
    stackable: draft.stackable,
    pendingDays: draft.pendingDays ?? null,
    applyTierMultiplier: draft.applyTierMultiplier,
    active: draft.active,
    budgetUsed: saved?.budgetUsed ?? 0,
    deletedAt: null,
    createdAt: saved?.createdAt ?? now,
    updatedAt: now,
  };
  assertRuleConsistent(row);
  // The saved preview resolves the facts (customer, amount, tier multiplier, time) exactly as
  // ingest would; only the rule set differs here.
  const { facts } = await previewRules(ctx, input);
  const others = await activeRulesFor(ctx.db, ctx.merchant, input.event.type);
  const rules = [...others.filter((r) => r.id !== row.id), ...(row.event === input.event.type ? [row] : [])];
  const at = new Date(facts.at);
  const customerId = facts.knownCustomer ? (input.event.customerId ?? null) : null;
  const usage = await loadRuleUsage(ctx.db, ctx.merchant, customerId, rules, at);
  const result = evaluateRules({
    rules,
    facts: { event: input.event, customer: facts.customer },
    amount: facts.amount,
    tierMultiplier: facts.tierMultiplier,
    now: at,
    usage,
  });
  const isMultiplier = (r: EarningRuleRow) => (r.reward.type === 'multiplier' ? 1 : 0);
  const ordered = [...rules].sort((a, b) => isMultiplier(a) - isMultiplier(b) || compareRules(a, b));
  return {
    ...result,
    facts,
    rules: ordered.map((r) => ({ id: r.id, name: r.name, draft: r === row })),
  };
}
