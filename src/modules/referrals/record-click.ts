import { and, eq } from 'drizzle-orm';
import { referralClicks, referralCodes } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { newId } from '../../lib/ids';
import { canonicalCode } from './ensure-code';

/**
 * Counts a click on a referral link for the funnel. Only codes of this merchant are recorded,
 * but every click answers the same, so the endpoint cannot be used to probe for codes.
 */
export async function recordClick(ctx: VerbContext, input: { code: string; channel?: string | undefined }) {
  const code = canonicalCode(input.code);
  const [known] = await ctx.db
    .select({ code: referralCodes.code })
    .from(referralCodes)
    .where(and(eq(referralCodes.merchantId, ctx.merchant.id), eq(referralCodes.code, code)));
  if (known) {
    const now = ctx.clock.now();
    await ctx.db.insert(referralClicks).values({
      merchantId: ctx.merchant.id,
      id: newId('click', now),
      code,
      channel: input.channel ?? null,
      createdAt: now,
    });
  }
  return { recorded: true as const };
}
