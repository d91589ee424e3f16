import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { InsufficientPoints } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { applyChange } from './apply-change';
import { consumeLots, type Spend } from './consume-lots';
import {
  type AlsoPart,
  balanceOf,
  type CustomerRow,
  type EntryKind,
  type NewEntry,
  type NewEvent,
} from './types';

export interface Debit {
  kind: Extract<EntryKind, 'redeem' | 'adjust'>;
  points: number;
  sourceType: string;
  sourceId: string;
  reason?: string | null;
  dedupeKey: string;
  /** Hold the points for a two-phase redemption: they leave `available` for `reserved`. */
  reserve?: boolean;
}

/**
 * Spends available points, consuming lots FIFO by expiry. Refuses with `insufficient-points`
 * rather than letting the balance go negative. The customer must be locked (`lockCustomer`).
 */
export async function debitPoints(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  debit: Debit,
  opts: {
    events?: NewEvent[];
    /** Further writes of the same statement, given the debit entry (e.g. the redemption row). */
    also?: (entry: NewEntry) => AlsoPart[];
    /** The lots to take, already read with `consumeLots` under the same lock. */
    spend?: Spend;
  } = {},
): Promise<{ customer: CustomerRow; entry: NewEntry }> {
  if (!Number.isInteger(debit.points) || debit.points <= 0)
    throw new Error('debit must be a positive integer');
  if (customer.available < debit.points) throw new InsufficientPoints(customer.available, debit.points);
  const now = ctx.clock.now();
  const { updates, taken } =
    opts.spend ?? (await consumeLots(tx, ctx.merchant.id, customer.id, debit.points));
  if (taken !== debit.points) {
    // The materialised balance and the lots disagree: refuse rather than guess.
    throw new Error(`lots hold ${taken} of ${debit.points} points for ${customer.id}`);
  }
  const balance = balanceOf(customer);
  balance.available -= debit.points;
  if (debit.reserve) balance.reserved += debit.points;
  if (debit.kind === 'redeem') balance.lifetimeRedeemed += debit.points;

  const entry: NewEntry = {
    id: newId('entry', now),
    kind: debit.kind,
    points: -debit.points,
    status: 'available',
    availableAt: now,
    expiresAt: null,
    sourceType: debit.sourceType,
    sourceId: debit.sourceId,
    ruleId: null,
    lotId: null,
    correctsEntryId: null,
    reason: debit.reason ?? null,
    debtSettled: 0,
    forgiven: 0,
    balanceAfter: balance.available,
    dedupeKey: debit.dedupeKey,
    occurredAt: now,
  };
  await applyChange(tx, ctx, customer.id, {
    entries: [entry],
    lots: [],
    lotUpdates: updates,
    balance,
    customer: { lastActivityAt: now },
    events: opts.events ?? [],
    ...(opts.also && { also: opts.also(entry) }),
  });
  return { customer: { ...customer, ...balance }, entry };
}
