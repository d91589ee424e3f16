import { auditLog } from '../../db/schema';
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
