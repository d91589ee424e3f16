import { and, eq, inArray } from 'drizzle-orm';
import { lots } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { newId } from '../../lib/ids';
import { applyChange } from './apply-change';
import { consumeLots } from './consume-lots';
import {
  balanceOf,
  type CustomerRow,
  type EntryRow,
  type LotUpdate,
  type NewEntry,
  type NewEvent,
} from './types';

export interface ReversalTarget {
  entry: EntryRow;
  points: number;
}

/**
 * Claws back earned points, each reversal pointing at the entry it corrects. Points come
 * from the entry's own lot first (pending or not), then from the customer's other available
 * lots FIFO; what is already spent becomes debt (settled from future earnings) or, under
 * the `forgive` policy, is written off and recorded as `forgiven`. The balance never goes
 * negative. The customer must be locked.
 */
export async function reverseEntries(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  targets: ReversalTarget[],
  source: { type: string; id: string; reason?: string },
  events: NewEvent[] = [],
): Promise<{ customer: CustomerRow; entries: NewEntry[] }> {
  const now = ctx.clock.now();
  const live = targets.filter((t) => t.points > 0);
  const lotIds = live.map((t) => t.entry.lotId).filter((id): id is string => id !== null);
  const ownLots = lotIds.length
    ? await tx
        .select()
        .from(lots)
        .where(and(eq(lots.merchantId, ctx.merchant.id), inArray(lots.id, lotIds)))
    : [];
  const lotById = new Map(ownLots.map((l) => [l.id, { ...l }]));

  const balance = balanceOf(customer);
  const plans = live.map((t) => {
    const lot = t.entry.lotId ? lotById.get(t.entry.lotId) : undefined;
    const own = lot ? Math.min(t.points, lot.remaining) : 0;
    if (lot) lot.remaining -= own;
    const pending = lot !== undefined && !lot.matured;
    if (pending) balance.pending -= own;
    else balance.available -= own;
    balance.lifetimeEarned -= t.points;
    return { target: t, own, pending, rest: t.points - own };
  });

  const restTotal = plans.reduce((s, p) => s + p.rest, 0);
  const pool =
    restTotal > 0
      ? await consumeLots(tx, ctx.merchant.id, customer.id, restTotal, new Set(lotById.keys()))
      : null;
  let poolLeft = pool?.taken ?? 0;
  balance.available -= poolLeft;

  const forgive = ctx.merchant.refundPolicy === 'forgive';
  const entries: NewEntry[] = [];
  let runningAvailable = customer.available;
  for (const p of plans) {
    const fromPool = Math.min(p.rest, poolLeft);
    poolLeft -= fromPool;
    const shortfall = p.rest - fromPool;
    const debt = forgive ? 0 : shortfall;
    balance.debt += debt;
    if (!p.pending) runningAvailable -= p.own;
    runningAvailable -= fromPool;
    entries.push({
      id: newId('entry', now),
      kind: 'reverse',
      points: -(p.own + fromPool + debt),
      status: p.pending ? 'pending' : 'available',
      availableAt: now,
      expiresAt: null,
      sourceType: source.type,
      sourceId: source.id,
      ruleId: p.target.entry.ruleId,
      lotId: p.target.entry.lotId,
      correctsEntryId: p.target.entry.id,
      reason: source.reason ?? null,
      debtSettled: 0,
      forgiven: forgive ? shortfall : 0,
      balanceAfter: runningAvailable,
      dedupeKey: `${source.type}:${source.id}:reverses:${p.target.entry.id}`,
      occurredAt: now,
    });
  }

  const lotUpdates: LotUpdate[] = [
    ...[...lotById.values()].map((l) => ({ id: l.id, remaining: l.remaining, matured: l.matured })),
    ...(pool?.updates ?? []),
  ];
  const reversed = live.reduce((s, t) => s + t.points, 0);
  await applyChange(tx, ctx, customer.id, {
    entries,
    lots: [],
    lotUpdates,
    balance,
    events: entries.length
      ? [
          {
            type: 'points.reversed',
            data: {
              customerId: customer.id,
              points: reversed,
              entryIds: entries.map((e) => e.id),
              source: { type: source.type, id: source.id },
              debt: balance.debt,
              forgiven: entries.reduce((s, e) => s + e.forgiven, 0),
            },
          },
          ...events,
        ]
      : events,
  });
  return { customer: { ...customer, ...balance }, entries };
}
