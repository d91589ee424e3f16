import type { VerbContext } from '../../deps';
import { withTransaction } from '../../lib/db';
import { newId } from '../../lib/ids';
import { postCredits } from './credit';
import { debitPoints } from './debit';
import { lockExistingCustomer } from './lock-customer';
import type { LedgerEntry } from './schemas';
import { viewNew } from './view';

/**
 * A manual correction by an admin, with a reason. Credits are available at once (a new lot);
 * debits consume lots FIFO and may take the balance down to zero, never below.
 */
export async function adjustPoints(
  ctx: VerbContext,
  customerId: string,
  input: { points: number; reason: string },
): Promise<LedgerEntry> {
  const now = ctx.clock.now();
  const adjustmentId = newId('adjustment', now);
  return withTransaction(ctx.db, async (tx) => {
    const customer = await lockExistingCustomer(tx, ctx, customerId);
    const source = {
      sourceType: 'adjustment',
      sourceId: adjustmentId,
      reason: input.reason,
      dedupeKey: `adjustment:${adjustmentId}`,
    };
    if (input.points > 0) {
      const { entries } = await postCredits(tx, ctx, customer, [
        { kind: 'adjust', points: input.points, occurredAt: now, availableAt: now, ...source },
      ]);
      return viewNew(customerId, now)(entries[0]!);
    }
    const { entry } = await debitPoints(
      tx,
      ctx,
      customer,
      { kind: 'adjust', points: -input.points, ...source },
      {
        events: [
          { type: 'points.adjusted', data: { customerId, points: input.points, reason: input.reason } },
        ],
      },
    );
    return viewNew(customerId, now)(entry);
  });
}
