import { and, eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { customers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { InvalidState } from '../../lib/errors';
import {
  currentTokenKeys,
  DEFAULT_TOKEN_TTL_SECONDS,
  kidOf,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  tokenKey,
} from './token-keys';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/**
 * Mints a storefront token for one customer, signed with the merchant's current key version.
 * The customer is created if unknown (a new shop account sees a zero balance, not a 404);
 * an erased customer gets no token.
 */
export async function issueCustomerToken(
  ctx: VerbContext,
  customerId: string,
  input: { ttlSeconds?: number | undefined },
  pepper: string,
): Promise<IssuedToken> {
  const now = ctx.clock.now();
  const where = and(eq(customers.merchantId, ctx.merchant.id), eq(customers.id, customerId));
  const [customer] = await ctx.db.select({ erasedAt: customers.erasedAt }).from(customers).where(where);
  if (customer?.erasedAt) throw new InvalidState('customer', 'erased');
  if (!customer) {
    await ctx.db
      .insert(customers)
      .values({ merchantId: ctx.merchant.id, id: customerId, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
  }

  const keys = await currentTokenKeys(ctx.db, ctx.merchant.id);
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + (input.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT', kid: kidOf(keys.tokenKeyVersion) })
    .setIssuer(ctx.merchant.id)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(customerId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await tokenKey(pepper, ctx.merchant.id, keys.tokenKeyVersion));
  return { token, expiresAt: new Date(exp * 1000) };
}
