import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { findEndpoint } from './get-endpoint';
import { newWebhookSecret, ROTATION_OVERLAP_MS } from './secret';
import type { EndpointRow } from './view';

/**
 * Issues a new secret (returned once). The old one keeps signing for 24 h, next to the new
 * one, so the receiver can switch without losing deliveries. Rotating again within the
 * overlap drops the oldest secret.
 */
export async function rotateSecret(
  ctx: VerbContext,
  id: string,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  return withTransaction(ctx.db, async (tx) => {
    const before = await findEndpoint(tx, ctx.merchant.id, id, { forUpdate: true });
    const now = ctx.clock.now();
    const secret = newWebhookSecret();
    const previousSecretExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
    const ep = webhookEndpoints;
    const [after] = await tx
      .update(ep)
      .set({ secret, previousSecret: before.secret, previousSecretExpiresAt, updatedAt: now })
      .where(and(eq(ep.merchantId, ctx.merchant.id), eq(ep.id, id)))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'webhook_endpoint.secret_rotated',
      targetType: 'webhook_endpoint',
      targetId: id,
      changes: { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() },
    });
    return { endpoint: after!, secret };
  });
}
