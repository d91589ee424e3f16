import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRET, type TestApp } from '../../../test/helpers/app';
import { createMerchant } from '../../../test/helpers/client';
import { KeyResolver } from './authenticate';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

describe('KeyResolver', () => {
  it('lets concurrent misses of one key share a single lookup', async () => {
    const m = await createMerchant(t);
    const keys = new KeyResolver(TEST_SECRET, 5_000);
    const first = keys.resolve(t.db, m.secretKey);
    const second = keys.resolve(t.db, m.secretKey);
    expect(second).toBe(first);
    const principal = await first;
    expect(principal).toMatchObject({ kind: 'secret', merchant: { id: m.id } });
    expect(keys.cached(m.secretKey)).toEqual(principal);
  });

  it('never caches the answer of a lookup that started before clear()', async () => {
    const m = await createMerchant(t);
    const keys = new KeyResolver(TEST_SECRET, 5_000);
    const before = keys.resolve(t.db, m.secretKey);
    keys.clear(); // e.g. the key was revoked through this instance meanwhile
    await before;
    expect(keys.cached(m.secretKey)).toBeUndefined();
    const after = keys.resolve(t.db, m.secretKey);
    expect(after).not.toBe(before);
    await after;
    expect(keys.cached(m.secretKey)).not.toBeUndefined();
  });

  it('remembers an unknown key as null for the TTL', async () => {
    const keys = new KeyResolver(TEST_SECRET, 5_000);
    expect(await keys.resolve(t.db, 'sk_unknown_key_for_cache_test')).toBeNull();
    expect(keys.cached('sk_unknown_key_for_cache_test')).toBeNull();
  });
});
