import type { VerbContext } from '../../deps';
import { Params, rawQuery, type Tx } from '../../lib/db';
import { newId } from '../../lib/ids';
import { entryFacts } from './entry-facts';
import type { LedgerChange } from './types';

const ts = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Writes one ledger operation — new entries, new lots, lot updates, the customer's new balance
 * and insight facts, and its outbox events — as ONE statement. The caller holds the customer's row lock (see
 * `lockCustomer`) and computed the change from the locked row, so the absolute balance
 * written here is exact; the CHECKs on customers and lots are the last guard.
 *
 * The text is written by hand (it runs on every balance change): its shape depends only on
 * how many rows of each kind there are, so postgres.js reuses one prepared statement per shape.
 */
export async function applyChange(
  tx: Tx,
  ctx: VerbContext,
  customerId: string,
  change: LedgerChange,
): Promise<void> {
  const p = new Params();
  const m = p.add(ctx.merchant.id);
  const c = p.add(customerId);
  const now = ctx.clock.now();
  const at = p.add(ts(now));
  const parts: string[] = [];

  if (change.entries.length > 0) {
    const actor = p.add(ctx.actor);
    const rows = change.entries.map(
      (e) =>
        `(${m}, ${p.add(e.id)}, ${c}, ${p.add(e.kind)}, ${p.add(e.points)}::int, ${p.add(e.status)}, ` +
        `${p.add(ts(e.availableAt))}::timestamptz, ${p.add(ts(e.expiresAt))}::timestamptz, ${p.add(e.sourceType)}, ` +
        `${p.add(e.sourceId)}, ${p.add(e.ruleId)}, ${p.add(e.lotId)}, ${p.add(e.correctsEntryId)}, ${p.add(e.reason)}, ` +
        `${p.add(e.debtSettled)}::int, ${p.add(e.forgiven)}::int, ${p.add(e.balanceAfter)}::int, ${actor}, ` +
        `${p.add(e.dedupeKey)}, ${p.add(ts(e.occurredAt))}::timestamptz, ${at}::timestamptz)`,
    );
    parts.push(`e as (insert into ledger_entries (merchant_id, id, customer_id, kind, points, status, available_at,
      expires_at, source_type, source_id, rule_id, lot_id, corrects_entry_id, reason, debt_settled, forgiven, balance_after,
      actor, dedupe_key, occurred_at, created_at) values ${rows.join(', ')})`);
  }
  if (change.lots.length > 0) {
    const rows = change.lots.map(
      (l) =>
        `(${m}, ${p.add(l.id)}, ${c}, ${p.add(l.entryId)}, ${p.add(l.points)}::int, ${p.add(l.remaining)}::int, ` +
        `${p.add(l.matured)}::boolean, ${p.add(ts(l.availableAt))}::timestamptz, ${p.add(ts(l.expiresAt))}::timestamptz, ` +
        `${at}::timestamptz)`,
    );
    parts.push(`l as (insert into lots (merchant_id, id, customer_id, entry_id, points, remaining, matured,
      available_at, expires_at, created_at) values ${rows.join(', ')})`);
  }
  if (change.lotUpdates.length > 0) {
    const rows = change.lotUpdates.map(
      (u) => `(${p.add(u.id)}, ${p.add(u.remaining)}::int, ${p.add(u.matured)}::boolean)`,
    );
    parts.push(`u as (update lots set remaining = v.remaining, matured = v.matured
      from (values ${rows.join(', ')}) as v(id, remaining, matured)
      where lots.merchant_id = ${m} and lots.id = v.id and lots.customer_id = ${c})`);
  }
  if (change.events.length > 0) {
    const rows = change.events.map(
      (ev) =>
        `(${m}, ${p.add(newId('event', now))}, ${p.add(ev.type)}, ${p.add(JSON.stringify(ev.data))}::jsonb, ${at}::timestamptz)`,
    );
    parts.push(
      `ev as (insert into events (merchant_id, id, type, data, created_at) values ${rows.join(', ')})`,
    );
  }
  change.also?.forEach((part, i) => {
    parts.push(`x${i} as (${typeof part === 'function' ? part(p) : p.embed(part)})`);
  });

  const b = change.balance;
  const extra = change.customer ?? {};
  const f = entryFacts(change.entries);
  // The insight facts move only with new entries (and the statement keeps one shape per count).
  const facts =
    change.entries.length === 0
      ? ''
      : `first_entry_at = least(first_entry_at, ${p.add(ts(f.firstAt))}::timestamptz),
      last_entry_at = greatest(last_entry_at, ${p.add(ts(f.lastAt))}::timestamptz),
      first_earned_at = least(first_earned_at, ${p.add(ts(f.firstEarnedAt))}::timestamptz),
      entries_count = entries_count + ${p.add(f.count)}::int,
      entries_earned = entries_earned + ${p.add(f.earned)}::int,
      entries_reversed = entries_reversed + ${p.add(f.reversed)}::int,
      entries_redeemed = entries_redeemed + ${p.add(f.redeemed)}::int,
      entries_expired = entries_expired + ${p.add(f.expired)}::int,
      entries_adjusted = entries_adjusted + ${p.add(f.adjusted)}::int,`;
  const text = `${parts.length ? `with ${parts.join(', ')} ` : ''}
    update customers set
      available = ${p.add(b.available)}::int, pending = ${p.add(b.pending)}::int, reserved = ${p.add(b.reserved)}::int,
      debt = ${p.add(b.debt)}::int, lifetime_earned = ${p.add(b.lifetimeEarned)}::int,
      lifetime_redeemed = ${p.add(b.lifetimeRedeemed)}::int, lifetime_expired = ${p.add(b.lifetimeExpired)}::int,
      last_activity_at = coalesce(${p.add(ts(extra.lastActivityAt ?? null))}::timestamptz, last_activity_at),
      orders_count = coalesce(${p.add(extra.ordersCount ?? null)}::int, orders_count),
${facts}      updated_at = ${at}::timestamptz
    where merchant_id = ${m} and id = ${c}
    returning 1 as ok`;
  const [row] = await rawQuery<{ ok: number }>(tx, text, p.values);
  if (!row) throw new Error(`ledger change for unknown customer ${customerId}`);
}
