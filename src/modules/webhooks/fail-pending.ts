import { and, eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../../db/schema';
import type { Executor } from '../../lib/db';

/** An endpoint that stops receiving (disabled, gone, deleted) fails what was still queued for it. */
export async function failPendingDeliveries(
  tx: Executor,
  merchantId: string,
  endpointId: string,
  now: Date,
): Promise<number> {
  const d = webhookDeliveries;
  const rows = await tx
    .update(d)
    .set({ status: 'failed', nextAttemptAt: null, updatedAt: now })
    .where(and(eq(d.merchantId, merchantId), eq(d.endpointId, endpointId), eq(d.status, 'pending')))
    .returning({ id: d.id });
  return rows.length;
}
