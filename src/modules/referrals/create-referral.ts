import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { attributeReferral } from './attribute';
import type { AttributeInput, Referral } from './schemas';
import { toReferralView } from './view';

/** `POST /v1/referrals`: attribution at signup. A rejection is an outcome (201), not an error. */
export async function createReferral(
  ctx: VerbContext,
  input: AttributeInput,
): Promise<{ referral: Referral; created: boolean }> {
  return withTransaction(ctx.db, async (tx) => {
    const { referral, created } = await attributeReferral(tx, ctx, {
      code: input.code,
      refereeId: input.refereeId,
      refereeEmail: input.refereeEmail,
      ipHash: input.ipHash,
      deviceHash: input.deviceHash,
      paymentFingerprint: input.paymentFingerprint,
      referrer: {
        ipHash: input.referrerIpHash,
        deviceHash: input.referrerDeviceHash,
        paymentFingerprint: input.referrerPaymentFingerprint,
      },
      attributedAt: input.occurredAt ?? ctx.clock.now(),
    });
    return { referral: toReferralView(referral), created };
  });
}
