import { and, asc, eq, lte, not } from 'drizzle-orm';
import { customers, insightFactColumns, lots } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { rawQuery, rowOf, type Tx } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import { applyChange } from './apply-change';
import { balanceOf, type CustomerRow, type LotUpdate } from './types';

const customerRow = rowOf(customers, insightFactColumns);

/**
 * The select list of a locked customer, `c`, with `hasDue`: whether a pending lot's time has
 * come. It reads lots in the statement's snapshot, so it may miss a lot that another
 * transaction holding the lock just wrote; such a lot matures with the next write or job.
 */
export const lockedCustomerColumns = (now: string) =>
  `${customerRow.columns('c')}, exists (select 1 from lots l where l.merchant_id = c.merchant_id
    and l.customer_id = c.id and not l.matured and l.available_at <= ${now}::timestamptz) as "hasDue"`;

/** A locked customer row as returned with `lockedCustomerColumns`, due lots matured. */
export function readLockedCustomer(
  tx: Tx,
  ctx: VerbContext,
  raw: Record<string, unknown>,
): Promise<CustomerRow> | CustomerRow {
  const customer = customerRow.read(raw);
  return raw.hasDue ? matureDueLots(tx, ctx, customer) : customer;
}

/**
 * Creates the customer if unknown (customers appear on first mention), locks its row for the
 * rest of the transaction, and matures lots whose `availableAt` has passed. Every change to a
 * customer's balance or lots happens under this lock, taken first, so operations on one
 * customer serialise and never deadlock on lots.
 */
export async function lockCustomer(tx: Tx, ctx: VerbContext, customerId: string): Promise<CustomerRow> {
  const [row] = await rawQuery<Record<string, unknown>>(
    tx,
    `insert into customers as c (merchant_id, id, created_at, updated_at)
     values ($1, $2, $3::timestamptz, $3::timestamptz)
     on conflict (merchant_id, id) do update set updated_at = c.updated_at
     returning ${lockedCustomerColumns('$3')}`,
    [ctx.merchant.id, customerId, ctx.clock.now().toISOString()],
  );
  return readLockedCustomer(tx, ctx, row!);
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
  const [row] = await rawQuery<Record<string, unknown>>(
    tx,
    `select ${lockedCustomerColumns('$3')} from customers c where c.merchant_id = $1 and c.id = $2 for update of c`,
    [ctx.merchant.id, customerId, ctx.clock.now().toISOString()],
  );
  if (!row) throw new NotFound('customer');
  return readLockedCustomer(tx, ctx, row);
}
