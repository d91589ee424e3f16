import { eq, sql } from 'drizzle-orm';
import { auditLog, merchants } from '../../db/schema';
import type { VerbContext } from '../deps';
import type { Executor } from './db';
import { newId } from './ids';

/** Records a configuration change. Call inside the transaction that makes the change. */
export async function recordAudit(
  db: Executor,
  ctx: Pick<VerbContext, 'merchant' | 'actor' | 'requestId' | 'clock'>,
  entry: { action: string; targetType: string; targetId?: string; changes?: Record<string, unknown> },
) {
  const now = ctx.clock.now();
  await db.insert(auditLog).values({
    merchantId: ctx.merchant.id,
    id: newId('audit', now),
    actor: ctx.actor,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    changes: entry.changes ?? null,
    requestId: ctx.requestId ?? null,
    createdAt: now,
  });
}

/**
 * A configuration change (rules, rewards, tiers, programs): bumps the merchant's
 * `config_version`, so every cache keyed by it reloads, and records the change in the audit
 * log — both in the caller's transaction.
 */
export async function recordConfigChange(
  tx: Executor,
  ctx: Pick<VerbContext, 'merchant' | 'actor' | 'requestId' | 'clock'>,
  entry: { action: string; targetType: string; targetId?: string; changes?: Record<string, unknown> },
) {
  await tx
    .update(merchants)
    .set({ configVersion: sql`${merchants.configVersion} + 1`, updatedAt: ctx.clock.now() })
    .where(eq(merchants.id, ctx.merchant.id));
  await recordAudit(tx, ctx, entry);
}
