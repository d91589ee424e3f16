import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { couponCodes, redemptions } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { findReward } from './find-reward';
import type { UploadCodesInput, UploadCodesResult } from './schemas';

const CHUNK = 1_000;

/**
 * Adds codes to a reward's pool. Once a reward has a pool, its redemptions only take codes
 * from it (out of stock when none is left) — the shop knows those codes, not generated ones.
 * A code is unique per merchant: repeats in the upload, codes already in any pool, and codes
 * already issued are reported as duplicates and skipped.
 */
export async function uploadCodes(
  ctx: VerbContext,
  rewardId: string,
  input: UploadCodesInput,
): Promise<UploadCodesResult> {
  const m = ctx.merchant.id;
  const now = ctx.clock.now();
  return withTransaction(ctx.db, async (tx) => {
    await findReward(tx, m, rewardId);
    const seen = new Set<string>();
    const duplicates: string[] = [];
    for (const code of input.codes) {
      if (seen.has(code)) duplicates.push(code);
      else seen.add(code);
    }
    const unique = [...seen];
    let added = 0;
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const issued = await tx
        .select({ code: redemptions.couponCode })
        .from(redemptions)
        .where(and(eq(redemptions.merchantId, m), inArray(redemptions.couponCode, chunk)));
      const taken = new Set(issued.map((r) => r.code));
      const fresh = chunk.filter((c) => !taken.has(c));
      const inserted = fresh.length
        ? await tx
            .insert(couponCodes)
            .values(fresh.map((code) => ({ merchantId: m, code, rewardId, createdAt: now })))
            .onConflictDoNothing()
            .returning({ code: couponCodes.code })
        : [];
      added += inserted.length;
      const insertedSet = new Set(inserted.map((r) => r.code));
      duplicates.push(...chunk.filter((c) => !insertedSet.has(c)));
    }
    const [free] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(couponCodes)
      .where(
        and(
          eq(couponCodes.merchantId, m),
          eq(couponCodes.rewardId, rewardId),
          isNull(couponCodes.redemptionId),
        ),
      );
    const result = { added, duplicates, available: free?.n ?? 0 };
    await recordAudit(tx, ctx, {
      action: 'reward.codes_uploaded',
      targetType: 'reward',
      targetId: rewardId,
      changes: { added, duplicates: duplicates.length, available: result.available },
    });
    return result;
  });
}
