import { EARNING_KINDS, type NewEntry } from './types';

/**
 * What new entries add to their customer's insight facts, counted as the program report counts
 * the ledger: earning kinds' points, reversals net of what was forgiven, redemptions and
 * expiries as positive amounts, adjustments as signed sums; plus the earliest and latest times.
 */
export interface EntryFacts {
  count: number;
  earned: number;
  reversed: number;
  redeemed: number;
  expired: number;
  adjusted: number;
  firstAt: Date | null;
  lastAt: Date | null;
  firstEarnedAt: Date | null;
}

const earlier = (a: Date | null, b: Date) => (a && a <= b ? a : b);
const later = (a: Date | null, b: Date) => (a && a >= b ? a : b);

export function entryFacts(entries: readonly NewEntry[]): EntryFacts {
  const f: EntryFacts = {
    count: entries.length,
    earned: 0,
    reversed: 0,
    redeemed: 0,
    expired: 0,
    adjusted: 0,
    firstAt: null,
    lastAt: null,
    firstEarnedAt: null,
  };
  for (const e of entries) {
    f.firstAt = earlier(f.firstAt, e.occurredAt);
    f.lastAt = later(f.lastAt, e.occurredAt);
    if (EARNING_KINDS.includes(e.kind)) {
      f.earned += e.points;
      f.firstEarnedAt = earlier(f.firstEarnedAt, e.occurredAt);
    } else if (e.kind === 'reverse') f.reversed += e.forgiven - e.points;
    else if (e.kind === 'redeem') f.redeemed -= e.points;
    else if (e.kind === 'expire') f.expired -= e.points;
    else if (e.kind === 'adjust') f.adjusted += e.points;
  }
  return f;
}
