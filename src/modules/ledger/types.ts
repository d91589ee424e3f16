import type { SQL } from 'drizzle-orm';
import type { customers, insightFactColumns, ledgerEntries, lots } from '../../../db/schema';
import type { Params } from '../../lib/db';

/** A customer as the verbs read it: everything but the insight facts. */
export type CustomerRow = Omit<typeof customers.$inferSelect, (typeof insightFactColumns)[number]>;
export type EntryRow = typeof ledgerEntries.$inferSelect;
export type LotRow = typeof lots.$inferSelect;
export type EntryKind = EntryRow['kind'];

/** Balance columns of a customer, as materialised next to the ledger. */
export interface Balance {
  available: number;
  pending: number;
  reserved: number;
  debt: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  lifetimeExpired: number;
}

export const balanceOf = (c: CustomerRow): Balance => ({
  available: c.available,
  pending: c.pending,
  reserved: c.reserved,
  debt: c.debt,
  lifetimeEarned: c.lifetimeEarned,
  lifetimeRedeemed: c.lifetimeRedeemed,
  lifetimeExpired: c.lifetimeExpired,
});

/** Kinds whose positive points count as earned (tiers, lifetime earned). */
export const EARNING_KINDS: readonly EntryKind[] = ['earn', 'referral', 'import'];

export interface NewEntry {
  id: string;
  kind: EntryKind;
  points: number;
  status: 'pending' | 'available';
  availableAt: Date;
  expiresAt: Date | null;
  sourceType: string;
  sourceId: string;
  ruleId: string | null;
  lotId: string | null;
  correctsEntryId: string | null;
  reason: string | null;
  debtSettled: number;
  forgiven: number;
  balanceAfter: number;
  dedupeKey: string | null;
  occurredAt: Date;
}

export interface NewLot {
  id: string;
  entryId: string;
  points: number;
  remaining: number;
  matured: boolean;
  availableAt: Date;
  expiresAt: Date | null;
}

export interface LotUpdate {
  id: string;
  remaining: number;
  matured: boolean;
}

export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
}

/** Everything one ledger operation writes; applied as a single SQL statement. */
export interface LedgerChange {
  entries: NewEntry[];
  lots: NewLot[];
  lotUpdates: LotUpdate[];
  balance: Balance;
  /** Extra customer columns to set (last activity, orders count, tier). */
  customer?: { lastActivityAt?: Date; ordersCount?: number };
  events: NewEvent[];
  /** Further data-modifying CTEs of the same operation (e.g. the order's earned total). */
  also?: AlsoPart[];
}

/**
 * A further write of a ledger statement: a drizzle fragment, or hand-written text whose
 * parameters are taken from the statement's `Params` (hot paths).
 */
export type AlsoPart = SQL | ((p: Params) => string);
