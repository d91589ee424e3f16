import type { VerbContext } from '../../deps';
import { rotateTokenKey } from './rotate-token-key';
import { MAX_TOKEN_TTL_SECONDS, TOKEN_ALGORITHM, TOKEN_AUDIENCE, tokenSecret } from './token-keys';

/**
 * Rotates to a new key version and returns its shared secret, for shops that sign their own
 * tokens. Shown once: the next call rotates again, so the secret in hand is always the newest
 * and an older one lapses within the hour.
 */
export async function revealTokenSecret(ctx: VerbContext, pepper: string) {
  const { version, ...rotated } = await rotateTokenKey(ctx, 'reveal');
  return {
    ...rotated,
    secret: await tokenSecret(pepper, ctx.merchant.id, version),
    algorithm: TOKEN_ALGORITHM,
    issuer: ctx.merchant.id,
    audience: TOKEN_AUDIENCE,
    maxTtlSeconds: MAX_TOKEN_TTL_SECONDS,
  };
}
