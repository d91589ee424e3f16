import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { newId } from '../../lib/ids';
import { applyChange } from './apply-change';
import { lotExpiry } from './expiry';
import {
  type AlsoPart,
  balanceOf,
  type CustomerRow,
  EARNING_KINDS,
  type EntryKind,
  type NewEntry,
  type NewEvent,
  type NewLot,
} from './types';

export interface Credit {
  kind: Extract<EntryKind, 'earn' | 'referral' | 'import' | 'adjust'>;
  points: number;
  occurredAt: Date;
  /** Points stay pending until then (return window); at or before now they are available at once. */
  availableAt: Date;
  sourceType: string;
  sourceId: string;
  ruleId?: string | null;
  reason?: string | null;
  dedupeKey: string;
}

/**
 * Adds points: one entry and one lot per credit. Available points first settle any debt;
 * pending points settle it when they mature. The customer must be locked (`lockCustomer`).
 */
export async function postCredits(
  tx: Tx,
  ctx: VerbContext,
  customer: CustomerRow,
  credits: Credit[],
  opts: { ordersCount?: number; events?: NewEvent[]; also?: AlsoPart[] } = {},
): Promise<{ customer: CustomerRow; entries: NewEntry[] }> {
  const now = ctx.clock.now();
  const balance = balanceOf(customer);
  const entries: NewEntry[] = [];
  const newLots: NewLot[] = [];

  for (const c of credits) {
    if (!Number.isInteger(c.points) || c.points <= 0)
      throw new Error(`credit must be a positive integer: ${c.points}`);
    const pending = c.availableAt.getTime() > now.getTime();
    const settle = pending ? 0 : Math.min(c.points, balance.debt);
    if (pending) balance.pending += c.points;
    else {
      balance.debt -= settle;
      balance.available += c.points - settle;
    }
    if (EARNING_KINDS.includes(c.kind)) balance.lifetimeEarned += c.points;

    const entryId = newId('entry', now);
    const lotId = newId('lot', now);
    const expiresAt = lotExpiry(ctx.merchant, c.occurredAt);
    entries.push({
      id: entryId,
      kind: c.kind,
      points: c.points,
      status: pending ? 'pending' : 'available',
      availableAt: c.availableAt,
      expiresAt,
      sourceType: c.sourceType,
      sourceId: c.sourceId,
      ruleId: c.ruleId ?? null,
      lotId,
      correctsEntryId: null,
      reason: c.reason ?? null,
      debtSettled: settle,
      forgiven: 0,
      balanceAfter: balance.available,
      dedupeKey: c.dedupeKey,
      occurredAt: c.occurredAt,
    });
    newLots.push({
      id: lotId,
      entryId,
      points: c.points,
      remaining: c.points - settle,
      matured: !pending,
      availableAt: c.availableAt,
      expiresAt,
    });
  }

  const total = credits.reduce((s, c) => s + c.points, 0);
  const events: NewEvent[] = [...(opts.events ?? [])];
  if (entries.length > 0) {
    const adjusted = credits.every((c) => c.kind === 'adjust');
    events.unshift({
      type: adjusted ? 'points.adjusted' : 'points.earned',
      data: {
        customerId: customer.id,
        points: total,
        pending: entries.filter((e) => e.status === 'pending').reduce((s, e) => s + e.points, 0),
        entryIds: entries.map((e) => e.id),
        source: { type: credits[0]!.sourceType, id: credits[0]!.sourceId },
        available: balance.available,
      },
    });
  }
  await applyChange(tx, ctx, customer.id, {
    entries,
    lots: newLots,
    lotUpdates: [],
    balance,
    customer: {
      lastActivityAt: now,
      ...(opts.ordersCount !== undefined && { ordersCount: opts.ordersCount }),
    },
    events,
    ...(opts.also && { also: opts.also }),
  });
  return { customer: { ...customer, ...balance }, entries };
}
