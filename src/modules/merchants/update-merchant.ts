import { eq, sql } from 'drizzle-orm';
import { merchants } from '../../../db/schema';
import type { Merchant, VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import type { UpdateMerchantInput } from './schemas';
import { toMerchantView } from './view';

/** Applies a settings patch, bumps the config version and records before/after in the audit log. */
export async function updateMerchant(ctx: VerbContext, patch: UpdateMerchantInput): Promise<Merchant> {
  return withTransaction(ctx.db, async (tx) => {
    const [before] = await tx.select().from(merchants).where(eq(merchants.id, ctx.merchant.id)).for('update');
    if (!before) throw new NotFound('merchant');
    const { pointValue, expiry, ...plain } = patch;
    const [after] = await tx
      .update(merchants)
      .set({
        ...plain,
        ...(pointValue && { pointValuePoints: pointValue.points, pointValueAmount: pointValue.amount }),
        ...(expiry && { expiryMode: expiry.mode, expiryDays: expiry.mode === 'none' ? null : expiry.days }),
        configVersion: sql`${merchants.configVersion} + 1`,
        updatedAt: ctx.clock.now(),
      })
      .where(eq(merchants.id, ctx.merchant.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'merchant.updated',
      targetType: 'merchant',
      targetId: ctx.merchant.id,
      changes: { before: toMerchantView(before), after: toMerchantView(after!), patch },
    });
    return after!;
  });
}
