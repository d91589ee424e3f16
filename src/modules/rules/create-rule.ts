import { earningRules } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { newId } from '../../lib/ids';
import { assertRuleConsistent, recordRuleChange } from './config-change';
import type { EarningRuleRow } from './evaluate';
import type { CreateRuleInput } from './schemas';
import { toRuleView } from './view';

export async function createRule(ctx: VerbContext, input: CreateRuleInput): Promise<EarningRuleRow> {
  const values = {
    ...input,
    condition: input.condition ?? null,
    limits: input.limits ?? null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    pendingDays: input.pendingDays ?? null,
  };
  assertRuleConsistent(values);
  const now = ctx.clock.now();
  return withTransaction(ctx.db, async (tx) => {
    const [row] = await tx
      .insert(earningRules)
      .values({
        merchantId: ctx.merchant.id,
        id: newId('rule', now),
        ...values,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordRuleChange(tx, ctx, {
      action: 'rule.created',
      ruleId: row!.id,
      changes: { after: toRuleView(row!) },
    });
    return row!;
  });
}
