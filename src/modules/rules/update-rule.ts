import { and, eq } from 'drizzle-orm';
import { earningRules } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { assertRuleConsistent, recordRuleChange } from './config-change';
import type { EarningRuleRow } from './evaluate';
import { findRule } from './get-rule';
import type { UpdateRuleInput } from './schemas';
import { toRuleView } from './view';

/**
 * Applies a partial change and revalidates the merged rule. Only future evaluations see it:
 * entries already awarded, and the budget already used, stay as they are.
 */
export async function updateRule(
  ctx: VerbContext,
  id: string,
  patch: UpdateRuleInput,
): Promise<EarningRuleRow> {
  return withTransaction(ctx.db, async (tx) => {
    const before = await findRule(tx, ctx.merchant.id, id, { forUpdate: true });
    const fields = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    ) as Partial<EarningRuleRow>;
    assertRuleConsistent({ ...before, ...fields });
    const [after] = await tx
      .update(earningRules)
      .set({ ...fields, updatedAt: ctx.clock.now() })
      .where(and(eq(earningRules.merchantId, ctx.merchant.id), eq(earningRules.id, id)))
      .returning();
    await recordRuleChange(tx, ctx, {
      action: 'rule.updated',
      ruleId: id,
      changes: { before: toRuleView(before), after: toRuleView(after!), patch },
    });
    return after!;
  });
}
