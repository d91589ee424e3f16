import { and, asc, eq, gt, isNotNull, lte } from 'drizzle-orm';
import { lots } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { newId } from '../../lib/ids';
import { applyChange } from './apply-change';
import { balanceOf, type CustomerRow, type NewEntry } from './types';

/**
 * Expires a locked customer's lots: those past `expiresAt` (policy `fixed`), or all of them
 * (`everything`, policy `inactivity`). One `expire` entry per lot, pointing at the entry that
 * earned it, so the ledger shows which earning lapsed.
 */
export async function expireLots(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  mode: 'due' | 'everything',
): Promise<number> {
  const now = ctx.clock.now();
  const expiring = await tx
    .select()
    .from(lots)
    .where(
      and(
        eq(lots.merchantId, ctx.merchant.id),
        eq(lots.customerId, customer.id),
        eq(lots.matured, true),
        gt(lots.remaining, 0),
        mode === 'due' ? and(isNotNull(lots.expiresAt), lte(lots.expiresAt, now)) : undefined,
      ),
    )
    .orderBy(asc(lots.expiresAt), asc(lots.id));
  if (expiring.length === 0) return 0;
  const balance = balanceOf(customer);
  const entries: NewEntry[] = expiring.map((lot) => {
    balance.available -= lot.remaining;
    balance.lifetimeExpired += lot.remaining;
    return {
      id: newId('entry', now),
      kind: 'expire',
      points: -lot.remaining,
      status: 'available',
      availableAt: now,
      expiresAt: lot.expiresAt,
      sourceType: 'expiry',
      sourceId: lot.id,
      ruleId: null,
      lotId: lot.id,
      correctsEntryId: lot.entryId,
      reason: mode === 'due' ? 'points expired' : 'expired after inactivity',
      debtSettled: 0,
      forgiven: 0,
      balanceAfter: balance.available,
      dedupeKey: `expire:${lot.id}:${lot.remaining}:${now.getTime()}`,
      occurredAt: now,
    };
  });
  const total = expiring.reduce((s, l) => s + l.remaining, 0);
  await applyChange(tx, ctx, customer.id, {
    entries,
    lots: [],
    lotUpdates: expiring.map((l) => ({ id: l.id, remaining: 0, matured: true })),
    balance,
    events: [
      {
        type: 'points.expired',
        data: { customerId: customer.id, points: total, entryIds: entries.map((e) => e.id) },
      },
    ],
  });
  return total;
}
