import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { failPendingDeliveries } from './fail-pending';
import { findEndpoint } from './get-endpoint';
import { toEndpointView } from './view';

/**
 * Soft delete: the endpoint reads as 404 and receives nothing more, its pending deliveries
 * fail, and its delivery log stays listable. The secret is wiped.
 */
export async function deleteEndpoint(ctx: VerbContext, id: string): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    const before = await findEndpoint(tx, ctx.merchant.id, id, { forUpdate: true });
    const now = ctx.clock.now();
    const ep = webhookEndpoints;
    await tx
      .update(ep)
      .set({ deletedAt: now, enabled: false, secret: '', previousSecret: null, updatedAt: now })
      .where(and(eq(ep.merchantId, ctx.merchant.id), eq(ep.id, id)));
    await failPendingDeliveries(tx, ctx.merchant.id, id, now);
    await recordAudit(tx, ctx, {
      action: 'webhook_endpoint.deleted',
      targetType: 'webhook_endpoint',
      targetId: id,
      changes: { before: toEndpointView(before) },
    });
  });
}
