import type { VerbContext } from '../../deps';
import { recordConfigChange } from '../../lib/audit';
import type { Tx } from '../../lib/db';
import { type FieldError, ValidationFailed } from '../../lib/errors';

/**
 * Every rule change records who did what and bumps the merchant's `config_version`, in the
 * caller's transaction, so rule caches keyed by the version reload.
 */
export async function recordRuleChange(
  tx: Tx,
  ctx: VerbContext,
  entry: { action: string; ruleId: string; changes: Record<string, unknown> },
): Promise<void> {
  await recordConfigChange(tx, ctx, {
    action: entry.action,
    targetType: 'rule',
    targetId: entry.ruleId,
    changes: entry.changes,
  });
}

/** Checks across fields that the schema cannot see alone (a PATCH changes one of the pair). */
export function assertRuleConsistent(rule: { startsAt: Date | null; endsAt: Date | null }): void {
  const errors: FieldError[] = [];
  if (rule.startsAt && rule.endsAt && rule.endsAt <= rule.startsAt) {
    errors.push({ path: 'endsAt', message: `must be after startsAt (${rule.startsAt.toISOString()})` });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
}
