import { and, asc, eq, getTableColumns, lte, not, sql } from 'drizzle-orm';
import { customers, lots } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import { applyChange } from './apply-change';
import { balanceOf, type CustomerRow, type LotUpdate } from './types';

/**
 * Creates the customer if unknown (customers appear on first mention), locks its row for the
 * rest of the transaction, and matures lots whose `availableAt` has passed. Every change to a
 * customer's balance or lots happens under this lock, taken first, so operations on one
 * customer serialise and never deadlock on lots.
 */
export async function lockCustomer(tx: Tx, ctx: VerbContext, customerId: string): Promise<CustomerRow> {
  const now = ctx.clock.now();
  const [row] = await tx
    .insert(customers)
    .values({ merchantId: ctx.merchant.id, id: customerId, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [customers.merchantId, customers.id],
      set: { updatedAt: sql`${customers.updatedAt}` },
    })
    .returning({
      ...getTableColumns(customers),
      hasDue: sql<boolean>`exists (select 1 from lots l where l.merchant_id = ${ctx.merchant.id}
        and l.customer_id = ${customerId} and not l.matured and l.available_at <= ${now.toISOString()}::timestamptz)`,
    });
  const { hasDue, ...customer } = row!;
  return hasDue ? matureDueLots(tx, ctx, customer) : customer;
}

/**
 * Moves due pending lots to available. Points first settle any debt (the lot keeps what is
 * left), then count as available. Returns the customer as it is afterwards.
 */
export async function matureDueLots(tx: Tx, ctx: VerbContext, customer: CustomerRow): Promise<CustomerRow> {
  const now = ctx.clock.now();
  const due = await tx
    .select({ id: lots.id, remaining: lots.remaining })
    .from(lots)
    .where(
      and(
        eq(lots.merchantId, ctx.merchant.id),
        eq(lots.customerId, customer.id),
        not(lots.matured),
        lte(lots.availableAt, now),
      ),
    )
    .orderBy(asc(lots.availableAt), asc(lots.id));
  if (due.length === 0) return customer;

  const balance = balanceOf(customer);
  const updates: LotUpdate[] = [];
  let matured = 0;
  let settled = 0;
  for (const lot of due) {
    const settle = Math.min(lot.remaining, balance.debt - settled);
    settled += settle;
    matured += lot.remaining;
    updates.push({ id: lot.id, remaining: lot.remaining - settle, matured: true });
  }
  balance.pending -= matured;
  balance.debt -= settled;
  balance.available += matured - settled;
  await applyChange(tx, ctx, customer.id, {
    entries: [],
    lots: [],
    lotUpdates: updates,
    balance,
    events: [
      {
        type: 'points.matured',
        data: {
          customerId: customer.id,
          points: matured,
          debtSettled: settled,
          available: balance.available,
        },
      },
    ],
  });
  return { ...customer, ...balance };
}

/** Like `lockCustomer`, for operations on customers that must already exist (404 otherwise). */
export async function lockExistingCustomer(
  tx: Tx,
  ctx: VerbContext,
  customerId: string,
): Promise<CustomerRow> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, customerId)))
    .for('update');
  if (!row) throw new NotFound('customer');
  return matureDueLots(tx, ctx, row);
}
