import { sql } from 'drizzle-orm';
import { customers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { normalizeEmail } from '../../lib/email';
import type { UpsertCustomerInput } from './schemas';
import type { CustomerRow } from './view';

/** Creates the customer or changes only the fields sent. Never touches balances. */
export async function upsertCustomer(
  ctx: VerbContext,
  id: string,
  input: UpsertCustomerInput,
): Promise<CustomerRow> {
  const now = ctx.clock.now();
  const fields = {
    ...(input.email !== undefined && {
      email: input.email,
      emailNormalized: input.email === null ? null : normalizeEmail(input.email),
    }),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.birthday !== undefined && { birthday: input.birthday }),
    ...(input.tags !== undefined && { tags: [...new Set(input.tags)] }),
    ...(input.createdAt !== undefined && { signedUpAt: input.createdAt }),
    ...(input.marketingConsent !== undefined && { marketingConsent: input.marketingConsent }),
  };
  const [row] = await ctx.db
    .insert(customers)
    .values({ merchantId: ctx.merchant.id, id, ...fields, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [customers.merchantId, customers.id],
      set: { ...fields, updatedAt: sql`excluded.updated_at` },
    })
    .returning();
  return row!;
}
