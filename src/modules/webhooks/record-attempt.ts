import { and, eq, sql } from 'drizzle-orm';
import { type WebhookAttempt, webhookDeliveries, webhookEndpoints } from '../../../db/schema';
import type { Merchant } from '../../deps';
import { recordAudit } from '../../lib/audit';
import type { Clock } from '../../lib/clock';
import { type Executor, withTransaction } from '../../lib/db';
import type { SendResult } from './deliver';
import { failPendingDeliveries } from './fail-pending';
import { nextState } from './retry-policy';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/**
 * Logs an attempt and moves the delivery on. The attempt is always appended (it happened).
 * A success always marks the delivery succeeded (the receiver has it). A failure changes the
 * status only if the delivery is still pending — a runner whose lease ran out must not undo
 * what a later attempt decided — unless `manual` (a retry asked for now).
 * A 410 disables the endpoint and fails its other pending deliveries in the same transaction.
 */
export async function recordAttempt(
  db: Executor,
  clock: Clock,
  delivery: DeliveryRow,
  result: SendResult,
  at: Date,
  opts: { manual: boolean },
): Promise<DeliveryRow> {
  const attempt: WebhookAttempt = {
    at: at.toISOString(),
    statusCode: result.statusCode,
    durationMs: result.durationMs,
    error: result.error,
  };
  const first = delivery.attempts[0] ? new Date(delivery.attempts[0].at) : at;
  const next = nextState(result.outcome, at, first, delivery.attemptCount + 1);
  const d = webhookDeliveries;
  const decides = opts.manual || result.outcome === 'succeeded' ? sql`true` : sql`${d.status} = 'pending'`;
  const nextAt = next.nextAttemptAt?.toISOString() ?? null;

  return withTransaction(db, async (tx) => {
    const [row] = await tx
      .update(d)
      .set({
        attempts: sql`${d.attempts} || ${JSON.stringify([attempt])}::jsonb`,
        attemptCount: sql`${d.attemptCount} + 1`,
        status: sql`case when ${decides} then ${next.status} else ${d.status} end`,
        nextAttemptAt: sql`case when ${decides} then ${nextAt}::timestamptz else ${d.nextAttemptAt} end`,
        updatedAt: at,
      })
      .where(and(eq(d.merchantId, delivery.merchantId), eq(d.id, delivery.id)))
      .returning();
    if (result.outcome === 'gone') await disableGoneEndpoint(tx, clock, delivery);
    return row!;
  });
}

async function disableGoneEndpoint(tx: Executor, clock: Clock, delivery: DeliveryRow): Promise<void> {
  const now = clock.now();
  const ep = webhookEndpoints;
  const [disabled] = await tx
    .update(ep)
    .set({ enabled: false, disabledReason: 'gone', updatedAt: now })
    .where(and(eq(ep.merchantId, delivery.merchantId), eq(ep.id, delivery.endpointId), eq(ep.enabled, true)))
    .returning({ id: ep.id });
  if (!disabled) return;
  await failPendingDeliveries(tx, delivery.merchantId, delivery.endpointId, now);
  await recordAudit(
    tx,
    // The audit helper needs only the merchant's id; the actor is the delivery system itself.
    {
      merchant: { id: delivery.merchantId } as Merchant,
      actor: 'system:webhooks',
      requestId: undefined,
      clock,
    },
    {
      action: 'webhook_endpoint.disabled',
      targetType: 'webhook_endpoint',
      targetId: delivery.endpointId,
      changes: { reason: 'gone', deliveryId: delivery.id },
    },
  );
}
