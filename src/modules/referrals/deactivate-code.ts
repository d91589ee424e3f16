import { and, eq } from 'drizzle-orm';
import { customers, referralCodes } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import { canonicalCode } from './ensure-code';

/**
 * An admin deactivates a code: it stops attributing, lookups answer `{valid: false}`, and the
 * customer shows no referral code (one code per customer: they do not get another). Existing
 * referrals keep their course. Deactivating twice changes nothing more.
 */
export async function deactivateReferralCode(ctx: VerbContext, code: string): Promise<void> {
  const m = ctx.merchant.id;
  const where = and(eq(referralCodes.merchantId, m), eq(referralCodes.code, canonicalCode(code)));
  await withTransaction(ctx.db, async (tx) => {
    const [row] = await tx
      .update(referralCodes)
      .set({ active: false })
      .where(and(where, eq(referralCodes.active, true)))
      .returning({ customerId: referralCodes.customerId, code: referralCodes.code });
    if (!row) {
      const [known] = await tx.select({ code: referralCodes.code }).from(referralCodes).where(where);
      if (!known) throw new NotFound('referral code');
      return;
    }
    await tx
      .update(customers)
      .set({ referralCode: null })
      .where(
        and(
          eq(customers.merchantId, m),
          eq(customers.id, row.customerId),
          eq(customers.referralCode, row.code),
        ),
      );
    await recordAudit(tx, ctx, {
      action: 'referral_code.deactivated',
      targetType: 'referral_code',
      targetId: row.code,
      changes: { customerId: row.customerId },
    });
  });
}
