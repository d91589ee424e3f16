import { and, eq } from 'drizzle-orm';
import { customers, referralCodes } from '../../../db/schema';
import type { Executor } from '../../lib/db';
import { canonicalCode } from './ensure-code';

export interface CodeOwner {
  code: string;
  active: boolean;
  customerId: string;
  name: string | null;
  emailNormalized: string | null;
  erased: boolean;
}

/** A code of this merchant with its owner, or undefined. Case-insensitive. */
export async function findCode(
  db: Executor,
  merchantId: string,
  code: string,
): Promise<CodeOwner | undefined> {
  const [row] = await db
    .select({
      code: referralCodes.code,
      active: referralCodes.active,
      customerId: referralCodes.customerId,
      name: customers.name,
      emailNormalized: customers.emailNormalized,
      erasedAt: customers.erasedAt,
    })
    .from(referralCodes)
    .innerJoin(
      customers,
      and(eq(customers.merchantId, referralCodes.merchantId), eq(customers.id, referralCodes.customerId)),
    )
    .where(and(eq(referralCodes.merchantId, merchantId), eq(referralCodes.code, canonicalCode(code))));
  if (!row) return undefined;
  const { erasedAt, ...rest } = row;
  return { ...rest, erased: erasedAt !== null };
}

/** A code can be used when the admin has not deactivated it and its owner was not erased. */
export const codeUsable = (owner: CodeOwner | undefined): owner is CodeOwner =>
  owner?.active === true && !owner.erased;
