import { and, eq, isNull, sql } from 'drizzle-orm';
import { apiKeys, merchants } from '../../../db/schema';
import type { Merchant, Principal, Scope } from '../../deps';
import { type Executor, prepared } from '../../lib/db';
import { hashKey } from './key-material';

const lookup = (db: Executor) =>
  db
    .select({ keyId: apiKeys.id, kind: apiKeys.kind, scopes: apiKeys.scopes, merchant: merchants })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(and(eq(apiKeys.hash, sql.placeholder('hash')), isNull(apiKeys.revokedAt)))
    .limit(1)
    .prepare('api_key_lookup');

interface CachedKey {
  principal: Principal | null;
  until: number;
}

/**
 * Resolves `sk_`/`pk_` keys to principals. Lookups are cached for `ttlMs` (a few seconds):
 * a revocation or settings change made through this instance clears the cache at once;
 * other instances see it within the TTL.
 */
export class KeyResolver {
  private cache = new Map<string, CachedKey>();

  constructor(
    private pepper: string,
    private ttlMs: number,
  ) {}

  async resolve(db: Executor, key: string): Promise<Principal | null> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.principal;

    const [row] = await prepared(db, 'api_key_lookup', lookup).execute({
      hash: await hashKey(key, this.pepper),
    });
    const principal = row ? toPrincipal(row.kind, row.keyId, row.scopes, row.merchant) : null;
    if (this.ttlMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, { principal, until: now + this.ttlMs });
    }
    return principal;
  }

  clear(): void {
    this.cache.clear();
  }
}

function toPrincipal(kind: string, keyId: string, scopes: string[], merchant: Merchant): Principal {
  if (kind === 'publishable') return { kind: 'publishable', merchant, keyId };
  return {
    kind: 'secret',
    merchant,
    keyId,
    scopes: scopes.filter((s): s is Scope => s === 'admin' || s === 'server'),
  };
}
