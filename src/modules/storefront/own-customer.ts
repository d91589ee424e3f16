import { customers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { NotFound } from '../../lib/errors';
import { type CustomerRead, getCustomer } from '../customers/read-customers';

/**
 * The token's customer. A valid token is a first mention: a shop that signs its own tokens may
 * name a customer Plaudit has not seen yet, who then has a zero balance rather than a 404.
 */
export async function ownCustomer(ctx: VerbContext, customerId: string): Promise<CustomerRead> {
  try {
    return await getCustomer(ctx, customerId);
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
  const now = ctx.clock.now();
  await ctx.db
    .insert(customers)
    .values({ merchantId: ctx.merchant.id, id: customerId, createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  return getCustomer(ctx, customerId);
}
