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
 * other instances see it within the TTL. Concurrent misses for one key share a single
 * lookup, so an expiring entry under load costs one query, not one per waiting request.
 */
export class KeyResolver {
  private cache = new Map<string, CachedKey>();
  // Keyed by executor too: a per-request database binding (Workers) is never shared across requests.
  private inFlight = new Map<string, { db: Executor; principal: Promise<Principal | null> }>();
  // Bumped by clear(): a lookup started before a revocation must not refill the cache after it.
  private generation = 0;

  constructor(
    private pepper: string,
    private ttlMs: number,
  ) {}

  /** The cached answer for `key` (null: known unknown), or undefined when it must be looked up. */
  cached(key: string): Principal | null | undefined {
    const hit = this.cache.get(key);
    return hit && hit.until > Date.now() ? hit.principal : undefined;
  }

  resolve(db: Executor, key: string): Promise<Principal | null> {
    const hit = this.cached(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const pending = this.inFlight.get(key);
    if (pending?.db === db) return pending.principal;
    const generation = this.generation;
    const fetched = this.fetch(db, key).then(
      (principal) => {
        if (this.inFlight.get(key)?.principal === fetched) this.inFlight.delete(key);
        if (this.ttlMs > 0 && generation === this.generation) {
          if (this.cache.size > 10_000) this.cache.clear();
          this.cache.set(key, { principal, until: Date.now() + this.ttlMs });
        }
        return principal;
      },
      (error: unknown) => {
        if (this.inFlight.get(key)?.principal === fetched) this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, { db, principal: fetched });
    return fetched;
  }

  private async fetch(db: Executor, key: string): Promise<Principal | null> {
    const [row] = await prepared(db, 'api_key_lookup', lookup).execute({
      hash: await hashKey(key, this.pepper),
    });
    return row ? toPrincipal(row.kind, row.keyId, row.scopes, row.merchant) : null;
  }

  clear(): void {
    this.cache.clear();
    this.inFlight.clear();
    this.generation++;
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
