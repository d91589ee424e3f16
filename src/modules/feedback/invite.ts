import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { InvalidState } from '../../lib/errors';
import { ensureReferralCode } from '../referrals/ensure-code';
import type { ReferralInvite } from './schemas';

/**
 * The promoter's referral code and link (get-or-create), for the invitation to refer. A
 * customer who cannot refer (erased, or whose code an admin deactivated) gets no invite; the
 * answer is still recorded.
 */
export async function referralInviteFor(
  tx: Tx,
  ctx: VerbContext,
  customerId: string,
): Promise<ReferralInvite | undefined> {
  try {
    return await ensureReferralCode(tx, ctx, customerId);
  } catch (error) {
    if (error instanceof InvalidState) return undefined;
    throw error;
  }
}
