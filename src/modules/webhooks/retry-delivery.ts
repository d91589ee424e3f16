import { and, eq } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { InvalidState, NotFound } from '../../lib/errors';
import { attemptDeliveries } from './attempt';
import type { DeliveryRow } from './record-attempt';
import { LEASE_MS } from './retry-policy';
import type { UrlPolicy } from './ssrf';

/**
 * Sends a delivery now, whatever its status or schedule (manual redelivery), and returns it
 * with the attempt recorded. Its status becomes the outcome of this attempt; a failure
 * within a day of the first attempt goes back to the automatic retry schedule.
 */
export async function retryDelivery(ctx: VerbContext, id: string, policy: UrlPolicy): Promise<DeliveryRow> {
  const m = ctx.merchant.id;
  const d = webhookDeliveries;
  const ep = webhookEndpoints;
  const [found] = await ctx.db
    .select({ status: d.status, endpoint: { enabled: ep.enabled, deletedAt: ep.deletedAt } })
    .from(d)
    .innerJoin(ep, and(eq(ep.merchantId, d.merchantId), eq(ep.id, d.endpointId)))
    .where(and(eq(d.merchantId, m), eq(d.id, id)));
  if (!found) throw new NotFound('webhook delivery');
  if (found.endpoint.deletedAt) throw new InvalidState('webhook endpoint', 'deleted');
  if (!found.endpoint.enabled) {
    throw new InvalidState(
      'webhook endpoint',
      'disabled',
      'The webhook endpoint is disabled; enable it first.',
    );
  }
  // A pending delivery is leased first, so a jobs run does not send it at the same moment.
  const now = ctx.clock.now();
  await ctx.db
    .update(d)
    .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), updatedAt: now })
    .where(and(eq(d.merchantId, m), eq(d.id, id), eq(d.status, 'pending')));
  const [recorded] = await attemptDeliveries(
    { db: ctx.db, clock: ctx.clock, policy },
    [{ merchantId: m, id }],
    {
      manual: true,
    },
  );
  return recorded!;
}
