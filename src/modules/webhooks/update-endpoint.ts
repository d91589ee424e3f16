import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { failPendingDeliveries } from './fail-pending';
import { findEndpoint } from './get-endpoint';
import type { UpdateEndpointInput } from './schemas';
import { assertWebhookUrl, type UrlPolicy } from './ssrf';
import { type EndpointRow, toEndpointView } from './view';

/**
 * Changes an endpoint. Disabling fails its pending deliveries; re-enabling resumes with
 * events created from now on (events in between are not queued for it).
 */
export async function updateEndpoint(
  ctx: VerbContext,
  id: string,
  patch: UpdateEndpointInput,
  policy: UrlPolicy,
): Promise<EndpointRow> {
  if (patch.url !== undefined) await assertWebhookUrl(patch.url, policy);
  return withTransaction(ctx.db, async (tx) => {
    const before = await findEndpoint(tx, ctx.merchant.id, id, { forUpdate: true });
    const now = ctx.clock.now();
    const enabling = patch.enabled === true && !before.enabled;
    const disabling = patch.enabled === false && before.enabled;
    const ep = webhookEndpoints;
    const [after] = await tx
      .update(ep)
      .set({
        ...(patch.url !== undefined && { url: patch.url }),
        ...(patch.events !== undefined && { events: patch.events }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(enabling && { enabled: true, disabledReason: null, receivingSince: now }),
        ...(disabling && { enabled: false, disabledReason: 'manual' as const }),
        updatedAt: now,
      })
      .where(and(eq(ep.merchantId, ctx.merchant.id), eq(ep.id, id)))
      .returning();
    if (disabling) await failPendingDeliveries(tx, ctx.merchant.id, id, now);
    await recordAudit(tx, ctx, {
      action: 'webhook_endpoint.updated',
      targetType: 'webhook_endpoint',
      targetId: id,
      changes: { before: toEndpointView(before), after: toEndpointView(after!) },
    });
    return after!;
  });
}
