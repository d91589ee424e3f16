import { and, eq } from 'drizzle-orm';
import { earningRules } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { recordRuleChange } from './config-change';
import { findRule } from './get-rule';
import { toRuleView } from './view';

/** Soft delete: entries keep pointing at the rule; it no longer matches and reads as 404. */
export async function deleteRule(ctx: VerbContext, id: string): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    const before = await findRule(tx, ctx.merchant.id, id, { forUpdate: true });
    const now = ctx.clock.now();
    await tx
      .update(earningRules)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(earningRules.merchantId, ctx.merchant.id), eq(earningRules.id, id)));
    await recordRuleChange(tx, ctx, {
      action: 'rule.deleted',
      ruleId: id,
      changes: { before: toRuleView(before) },
    });
  });
}
