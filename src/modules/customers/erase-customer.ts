import { and, eq } from 'drizzle-orm';
import { customers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import { recordEvent } from '../../lib/outbox';

/**
 * Privacy erasure: personal data is scrubbed; balances, ledger entries and referrals stay,
 * so the ledger still adds up. Erasing twice changes nothing more.
 */
export async function eraseCustomer(ctx: VerbContext, id: string): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    const where = and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, id));
    const [row] = await tx
      .select({ erasedAt: customers.erasedAt })
      .from(customers)
      .where(where)
      .for('update');
    if (!row) throw new NotFound('customer');
    if (row.erasedAt) return;
    const now = ctx.clock.now();
    await tx
      .update(customers)
      .set({
        email: null,
        emailNormalized: null,
        name: null,
        birthday: null,
        tags: [],
        marketingConsent: false,
        erasedAt: now,
        updatedAt: now,
      })
      .where(where);
    await recordEvent(tx, ctx.merchant.id, 'customer.erased', { customerId: id }, now);
    await recordAudit(tx, ctx, { action: 'customer.erased', targetType: 'customer', targetId: id });
  });
}
