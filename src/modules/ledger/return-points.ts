import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { newId } from '../../lib/ids';
import { applyChange } from './apply-change';
import { lotExpiry } from './expiry';
import { balanceOf, type CustomerRow, type NewEntry, type NewEvent } from './types';

export interface PointsReturn {
  points: number;
  /** The `redeem` entry that took the points; the return points at it. */
  redeemEntryId: string;
  sourceType: string;
  sourceId: string;
  reason: string;
  dedupeKey: string;
  /** The points were only held (`reserve: true` debit): the hold ends with this return. */
  fromReserved?: boolean;
}

/**
 * Gives redeemed points back (a released or expired hold, a cancelled redemption) as a fresh
 * lot. The entry is a POSITIVE `redeem` entry correcting the debit: a return is not an earning,
 * and `lifetimeRedeemed` stays equal to −Σ redeem entries (debits minus returns). Like any
 * available credit, the points first settle debt. The customer must be locked.
 */
export async function returnRedeemedPoints(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  ret: PointsReturn,
  events: NewEvent[] = [],
): Promise<{ customer: CustomerRow; entry: NewEntry }> {
  if (!Number.isInteger(ret.points) || ret.points <= 0)
    throw new Error('a return must be a positive integer');
  const now = ctx.clock.now();
  const balance = balanceOf(customer);
  if (ret.fromReserved) {
    if (balance.reserved < ret.points) {
      throw new Error(`reserved ${balance.reserved} cannot release ${ret.points} for ${customer.id}`);
    }
    balance.reserved -= ret.points;
  }
  balance.lifetimeRedeemed -= ret.points;
  const settle = Math.min(ret.points, balance.debt);
  balance.debt -= settle;
  balance.available += ret.points - settle;

  const entryId = newId('entry', now);
  const lotId = newId('lot', now);
  const expiresAt = lotExpiry(ctx.merchant, now);
  const entry: NewEntry = {
    id: entryId,
    kind: 'redeem',
    points: ret.points,
    status: 'available',
    availableAt: now,
    expiresAt,
    sourceType: ret.sourceType,
    sourceId: ret.sourceId,
    ruleId: null,
    lotId,
    correctsEntryId: ret.redeemEntryId,
    reason: ret.reason,
    debtSettled: settle,
    forgiven: 0,
    balanceAfter: balance.available,
    dedupeKey: ret.dedupeKey,
    occurredAt: now,
  };
  await applyChange(tx, ctx, customer.id, {
    entries: [entry],
    lots: [
      {
        id: lotId,
        entryId,
        points: ret.points,
        remaining: ret.points - settle,
        matured: true,
        availableAt: now,
        expiresAt,
      },
    ],
    lotUpdates: [],
    balance,
    customer: { lastActivityAt: now },
    events,
  });
  return { customer: { ...customer, ...balance }, entry };
}

/**
 * Ends a hold by spending it for good: `reserved` drops by `points`. No entry is written — the
 * `redeem` entry of the reservation already took the points from the balance.
 */
export async function commitReservedPoints(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  points: number,
  events: NewEvent[] = [],
): Promise<CustomerRow> {
  const balance = balanceOf(customer);
  if (!Number.isInteger(points) || points <= 0 || balance.reserved < points) {
    throw new Error(`reserved ${balance.reserved} cannot commit ${points} for ${customer.id}`);
  }
  balance.reserved -= points;
  await applyChange(tx, ctx, customer.id, { entries: [], lots: [], lotUpdates: [], balance, events });
  return { ...customer, ...balance };
}
