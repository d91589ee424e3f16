import { type SQL, sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query, type Tx } from '../../lib/db';
import { newId } from '../../lib/ids';
import type { LedgerChange } from './types';

const ts = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Writes one ledger operation — new entries, new lots, lot updates, the customer's new balance
 * and its outbox events — as ONE statement. The caller holds the customer's row lock (see
 * `lockCustomer`) and computed the change from the locked row, so the absolute balance
 * written here is exact; the CHECKs on customers and lots are the last guard.
 */
export async function applyChange(
  tx: Tx,
  ctx: VerbContext,
  customerId: string,
  change: LedgerChange,
): Promise<void> {
  const m = ctx.merchant.id;
  const now = ctx.clock.now();
  const parts: SQL[] = [];

  if (change.entries.length > 0) {
    const rows = change.entries.map(
      (e) =>
        sql`(${m}, ${e.id}, ${customerId}, ${e.kind}, ${e.points}::int, ${e.status}, ${ts(e.availableAt)}::timestamptz,
             ${ts(e.expiresAt)}::timestamptz, ${e.sourceType}, ${e.sourceId}, ${e.ruleId}, ${e.lotId}, ${e.correctsEntryId},
             ${e.reason}, ${e.debtSettled}::int, ${e.forgiven}::int, ${e.balanceAfter}::int, ${ctx.actor}, ${e.dedupeKey},
             ${ts(e.occurredAt)}::timestamptz, ${ts(now)}::timestamptz)`,
    );
    parts.push(sql`e as (insert into ledger_entries (merchant_id, id, customer_id, kind, points, status, available_at,
      expires_at, source_type, source_id, rule_id, lot_id, corrects_entry_id, reason, debt_settled, forgiven, balance_after,
      actor, dedupe_key, occurred_at, created_at) values ${sql.join(rows, sql`, `)})`);
  }
  if (change.lots.length > 0) {
    const rows = change.lots.map(
      (l) =>
        sql`(${m}, ${l.id}, ${customerId}, ${l.entryId}, ${l.points}::int, ${l.remaining}::int, ${l.matured}::boolean,
             ${ts(l.availableAt)}::timestamptz, ${ts(l.expiresAt)}::timestamptz, ${ts(now)}::timestamptz)`,
    );
    parts.push(sql`l as (insert into lots (merchant_id, id, customer_id, entry_id, points, remaining, matured,
      available_at, expires_at, created_at) values ${sql.join(rows, sql`, `)})`);
  }
  if (change.lotUpdates.length > 0) {
    const rows = change.lotUpdates.map((u) => sql`(${u.id}, ${u.remaining}::int, ${u.matured}::boolean)`);
    parts.push(sql`u as (update lots set remaining = v.remaining, matured = v.matured
      from (values ${sql.join(rows, sql`, `)}) as v(id, remaining, matured)
      where lots.merchant_id = ${m} and lots.id = v.id and lots.customer_id = ${customerId})`);
  }
  if (change.events.length > 0) {
    const rows = change.events.map(
      (ev) =>
        sql`(${m}, ${newId('event', now)}, ${ev.type}, ${JSON.stringify(ev.data)}::jsonb, ${ts(now)}::timestamptz)`,
    );
    parts.push(
      sql`ev as (insert into events (merchant_id, id, type, data, created_at) values ${sql.join(rows, sql`, `)})`,
    );
  }

  change.also?.forEach((part, i) => {
    parts.push(sql`${sql.raw(`x${i}`)} as (${part})`);
  });

  const b = change.balance;
  const extra = change.customer ?? {};
  const statement = sql`${parts.length ? sql`with ${sql.join(parts, sql`, `)} ` : sql``}
    update customers set
      available = ${b.available}::int, pending = ${b.pending}::int, reserved = ${b.reserved}::int, debt = ${b.debt}::int,
      lifetime_earned = ${b.lifetimeEarned}::int, lifetime_redeemed = ${b.lifetimeRedeemed}::int,
      lifetime_expired = ${b.lifetimeExpired}::int,
      last_activity_at = coalesce(${ts(extra.lastActivityAt ?? null)}::timestamptz, last_activity_at),
      orders_count = coalesce(${extra.ordersCount ?? null}::int, orders_count),
      updated_at = ${ts(now)}::timestamptz
    where merchant_id = ${m} and id = ${customerId}
    returning 1 as ok`;
  const [row] = await query<{ ok: number }>(tx, statement);
  if (!row) throw new Error(`ledger change for unknown customer ${customerId}`);
}
