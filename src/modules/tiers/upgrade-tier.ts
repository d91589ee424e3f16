import { and, eq } from 'drizzle-orm';
import { customers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { recordEvent } from '../../lib/outbox';
import type { CustomerRow } from '../ledger/types';
import { qualifyingTier, tierById, tierLadder } from './ladder';
import { rollingEarned } from './qualifying-points';

/**
 * After an earning: an upgrade takes effect at once. Downgrades wait for the end of the
 * qualifying period and are made by the scheduled jobs (`downgradeTiers`).
 */
export async function upgradeTier(tx: Tx, ctx: VerbContext, customer: CustomerRow): Promise<CustomerRow> {
  const ladder = await tierLadder(tx, ctx.merchant);
  if (ladder.length === 0) return customer;
  const current = tierById(ladder, customer.tierId);
  const top = ladder[ladder.length - 1]!;
  if (current?.id === top.id) return customer;
  const now = ctx.clock.now();
  const rolling = ladder.some((t) => t.window === 'rolling365')
    ? await rollingEarned(tx, ctx.merchant.id, customer.id, now)
    : 0;
  const target = qualifyingTier(ladder, { lifetime: customer.lifetimeEarned, rolling365: rolling });
  if (!target || (current && target.rank <= current.rank)) return customer;
  await tx
    .update(customers)
    .set({ tierId: target.id, tierSince: now })
    .where(and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, customer.id)));
  await recordEvent(
    tx,
    ctx.merchant.id,
    'tier.changed',
    { customerId: customer.id, from: current?.name ?? null, to: target.name, direction: 'up' },
    now,
  );
  return { ...customer, tierId: target.id, tierSince: now };
}
