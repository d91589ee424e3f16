import { webhookEndpoints } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { newId } from '../../lib/ids';
import type { CreateEndpointInput } from './schemas';
import { newWebhookSecret } from './secret';
import { assertWebhookUrl, type UrlPolicy } from './ssrf';
import { type EndpointRow, toEndpointView } from './view';

/** Registers an endpoint; it receives events created from now on. The secret is returned once. */
export async function createEndpoint(
  ctx: VerbContext,
  input: CreateEndpointInput,
  policy: UrlPolicy,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  await assertWebhookUrl(input.url, policy);
  const now = ctx.clock.now();
  const secret = newWebhookSecret();
  return withTransaction(ctx.db, async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        merchantId: ctx.merchant.id,
        id: newId('endpoint', now),
        url: input.url,
        description: input.description ?? null,
        events: input.events,
        secret,
        receivingSince: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'webhook_endpoint.created',
      targetType: 'webhook_endpoint',
      targetId: row!.id,
      changes: { after: toEndpointView(row!) },
    });
    return { endpoint: row!, secret };
  });
}
