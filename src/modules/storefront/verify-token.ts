import { errors, type JWTHeaderParameters, jwtVerify } from 'jose';
import { Unauthorized } from '../../lib/errors';
import {
  CLOCK_TOLERANCE_SECONDS,
  MAX_TOKEN_TTL_SECONDS,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  type TokenKeyState,
  tokenKey,
  versionOfKid,
} from './token-keys';

class TokenRefused extends Error {}

const CUSTOMER_ID = /^[\x21-\x7e]{1,128}$/;

export interface VerifyTokenInput {
  token: string;
  /** The merchant of the publishable key the token came with: it must be the token's issuer. */
  merchant: TokenKeyState;
  pepper: string;
  now: Date;
  /** Reads the key version fresh, for a kid newer than the (possibly cached) merchant knows. */
  refresh: () => Promise<TokenKeyState>;
}

/**
 * Verifies a customer token and returns the customer id (`sub`). Only HS256 is accepted (no
 * `none`, no algorithm confusion); `iss` must be the calling key's merchant, `aud` the
 * storefront, `exp`/`iat`/`sub` present, and the token at most an hour old. The key is chosen by
 * `kid`: the current version, or the previous one for tokens issued before the rotation, so a
 * rotation never cuts off a live session yet a leaked old key stops working within the hour.
 */
export async function verifyCustomerToken(input: VerifyTokenInput): Promise<string> {
  let keys = input.merchant;
  let version = 0;
  const keyFor = async (header: JWTHeaderParameters) => {
    version = versionOfKid(header.kid) ?? 0;
    if (version > keys.tokenKeyVersion) keys = await input.refresh();
    const current = version === keys.tokenKeyVersion;
    const previous = version === keys.tokenKeyVersion - 1 && keys.tokenKeyRotatedAt !== null;
    if (version === 0 || !(current || previous)) throw new TokenRefused('unknown kid');
    return tokenKey(input.pepper, keys.id, version);
  };
  try {
    const { payload } = await jwtVerify(input.token, keyFor, {
      algorithms: [TOKEN_ALGORITHM],
      issuer: input.merchant.id,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: MAX_TOKEN_TTL_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: input.now,
    });
    if (version !== keys.tokenKeyVersion) {
      // A retired key only vouches for what it signed before the rotation.
      const rotatedAt = keys.tokenKeyRotatedAt?.getTime() ?? 0;
      if ((payload.iat ?? Number.POSITIVE_INFINITY) * 1000 > rotatedAt) throw new TokenRefused('retired kid');
    }
    if (typeof payload.sub !== 'string' || !CUSTOMER_ID.test(payload.sub)) throw new TokenRefused('bad sub');
    return payload.sub;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new Unauthorized('The customer token has expired.');
    if (error instanceof errors.JOSEError || error instanceof TokenRefused) {
      throw new Unauthorized('The customer token is invalid.');
    }
    throw error;
  }
}
