import { eq, sql } from 'drizzle-orm';
import { merchants } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import { kidOf } from './token-keys';

export interface RotatedKey {
  version: number;
  kid: string;
  previousKid: string;
  /** Tokens of the previous kid issued before this instant stay valid until they expire. */
  rotatedAt: Date;
}

/**
 * Starts signing customer tokens with the next key version. Tokens of the version before stay
 * valid if issued before now (at most an hour longer); any older version stops working at once.
 * Audited as a key change.
 */
export async function rotateTokenKey(ctx: VerbContext, reason: 'rotate' | 'reveal' = 'rotate') {
  return withTransaction(ctx.db, async (tx): Promise<RotatedKey> => {
    const now = ctx.clock.now();
    const [row] = await tx
      .update(merchants)
      .set({ tokenKeyVersion: sql`${merchants.tokenKeyVersion} + 1`, tokenKeyRotatedAt: now })
      .where(eq(merchants.id, ctx.merchant.id))
      .returning({ version: merchants.tokenKeyVersion });
    if (!row) throw new NotFound('merchant');
    const rotated = {
      version: row.version,
      kid: kidOf(row.version),
      previousKid: kidOf(row.version - 1),
      rotatedAt: now,
    };
    await recordAudit(tx, ctx, {
      action: reason === 'reveal' ? 'customer-token-secret.revealed' : 'customer-token-key.rotated',
      targetType: 'merchant',
      targetId: ctx.merchant.id,
      changes: { kid: rotated.kid, previousKid: rotated.previousKid },
    });
    return rotated;
  });
}
