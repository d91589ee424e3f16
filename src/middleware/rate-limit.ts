import { sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps';
import { query } from '../lib/db';
import { RateLimited } from '../lib/errors';

const WINDOW_SECONDS = 60;

/**
 * Counts a hit in a fixed one-minute window and refuses past `limit`. The counter is a row in
 * Postgres, so every Node instance and every Workers isolate shares it; an in-memory counter
 * would let each isolate allow the full limit again.
 */
export async function countHit(c: Context<AppEnv>, merchantId: string, bucket: string, limit: number) {
  const nowMs = c.get('deps').clock.now().getTime();
  const windowStartMs = Math.floor(nowMs / (WINDOW_SECONDS * 1000)) * WINDOW_SECONDS * 1000;
  const [row] = await query<{ hits: number }>(
    c.get('db'),
    sql`insert into rate_limit_counters (merchant_id, bucket, window_start, hits)
        values (${merchantId}, ${bucket}, ${new Date(windowStartMs).toISOString()}, 1)
        on conflict (merchant_id, bucket, window_start)
        do update set hits = rate_limit_counters.hits + 1
        returning hits`,
  );
  const hits = Number(row?.hits ?? 1);
  const reset = Math.max(1, Math.ceil((windowStartMs + WINDOW_SECONDS * 1000 - nowMs) / 1000));
  c.header('RateLimit-Limit', String(limit));
  c.header('RateLimit-Remaining', String(Math.max(0, limit - hits)));
  c.header('RateLimit-Reset', String(reset));
  if (hits > limit) {
    c.header('Retry-After', String(reset));
    throw new RateLimited(reset);
  }
}

/**
 * Per-key limits: publishable keys per key and client address (`PLAUDIT_RATE_LIMIT_PUBLIC`),
 * secret keys per key when `PLAUDIT_RATE_LIMIT_SECRET` is set (unlimited by default: a shop
 * backend is trusted, and load tests must not be throttled).
 */
export function rateLimitByKey(): MiddlewareHandler<AppEnv> {
  // Not async: a request with no limit to count passes straight through.
  return (c, next) => {
    const p = c.get('principal');
    const limits = c.get('deps').config.rateLimits;
    if (p?.kind === 'publishable' && limits.public > 0) {
      return countHit(
        c,
        p.merchant.id,
        `pk:${p.keyId}:${c.get('deps').clientAddress(c)}`,
        limits.public,
      ).then(next);
    }
    if (p?.kind === 'secret' && limits.secret > 0) {
      return countHit(c, p.merchant.id, `sk:${p.keyId}`, limits.secret).then(next);
    }
    return next();
  };
}

/** For code and coupon lookups made from the browser: per client address, stricter. */
export function rateLimitLookups(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    const limit = c.get('deps').config.rateLimits.lookup;
    if (p?.kind === 'publishable' && limit > 0) {
      await countHit(c, p.merchant.id, `lookup:${c.get('deps').clientAddress(c)}`, limit);
    }
    return next();
  };
}
