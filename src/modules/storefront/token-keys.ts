import { eq } from 'drizzle-orm';
import { merchants } from '../../../db/schema';
import type { Merchant } from '../../deps';
import { hmacHex } from '../../lib/crypto';
import type { Executor } from '../../lib/db';
import { NotFound } from '../../lib/errors';

export const TOKEN_AUDIENCE = 'plaudit:storefront' as const;
export const TOKEN_ALGORITHM = 'HS256' as const;
export const DEFAULT_TOKEN_TTL_SECONDS = 900;
export const MAX_TOKEN_TTL_SECONDS = 3_600;
/** Leeway for the clocks of shops that sign their own tokens (an `iat` a moment ahead). */
export const CLOCK_TOLERANCE_SECONDS = 5;

export type TokenKeyState = Pick<Merchant, 'id' | 'tokenKeyVersion' | 'tokenKeyRotatedAt'>;

export const kidOf = (version: number) => `v${version}`;

export function versionOfKid(kid: unknown): number | undefined {
  const match = typeof kid === 'string' ? /^v([1-9]\d{0,8})$/.exec(kid) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * The shared secret of one key version. It is derived (HMAC of PLAUDIT_SECRET), never stored:
 * rotating PLAUDIT_SECRET or bumping the version retires it. Its UTF-8 bytes are the HS256 key,
 * so a shop can sign with it in any JWT library that takes a string secret.
 */
export async function tokenSecret(pepper: string, merchantId: string, version: number): Promise<string> {
  return `cts_${await hmacHex(pepper, `customer-token:${merchantId}:${version}`)}`;
}

export async function tokenKey(pepper: string, merchantId: string, version: number): Promise<Uint8Array> {
  return new TextEncoder().encode(await tokenSecret(pepper, merchantId, version));
}

/**
 * The merchant's key version as stored now. Read fresh, not from the cached principal: an
 * instance whose key cache predates a rotation must not sign with (or reject) the new version.
 */
export async function currentTokenKeys(db: Executor, merchantId: string): Promise<TokenKeyState> {
  const [row] = await db
    .select({
      id: merchants.id,
      tokenKeyVersion: merchants.tokenKeyVersion,
      tokenKeyRotatedAt: merchants.tokenKeyRotatedAt,
    })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  if (!row) throw new NotFound('merchant');
  return row;
}
