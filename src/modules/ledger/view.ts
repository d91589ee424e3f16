import type { LedgerEntry } from './schemas';
import type { EntryRow, NewEntry } from './types';

/** The API shape of an entry. `status` is as of `now`: a pending entry past `availableAt` reads available. */
export function toEntryView(
  e: EntryRow | (NewEntry & { customerId: string; createdAt: Date }),
  now: Date,
): LedgerEntry {
  return {
    id: e.id,
    customerId: e.customerId,
    points: e.points,
    kind: e.kind,
    status: e.status === 'pending' && e.availableAt.getTime() > now.getTime() ? 'pending' : 'available',
    availableAt: e.availableAt.toISOString(),
    expiresAt: e.expiresAt?.toISOString() ?? null,
    source: { type: e.sourceType, id: e.sourceId },
    ruleId: e.ruleId,
    reason: e.reason,
    correctsEntryId: e.correctsEntryId,
    debtSettled: e.debtSettled,
    forgiven: e.forgiven,
    balanceAfter: e.balanceAfter,
    occurredAt: e.occurredAt.toISOString(),
    createdAt: e.createdAt.toISOString(),
  };
}

export const viewNew = (customerId: string, now: Date) => (e: NewEntry) =>
  toEntryView({ ...e, customerId, createdAt: now }, now);
