import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../db/schema';
import { query } from '../src/lib/db';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, type ApiResponse, createMerchant, expectProblem, type TestMerchant } from './helpers/client';

/** A clock that can be told to fail once, to make a handler crash with an internal error. */
class FailingClock extends TestClock {
  failNext = false;
  override now(): Date {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('boom: select hash from api_keys where merchant_id = $1 -- internal detail');
    }
    return super.now();
  }
}

let t: TestApp;
let clock: FailingClock;
beforeAll(async () => {
  clock = new FailingClock();
  t = await createTestApp({ clock });
});

const keyCount = async (m: TestMerchant) => (await m.api.get('/v1/api-keys')).body.data.length as number;

function expectNothingInternal(res: ApiResponse) {
  const text = JSON.stringify(res.body);
  expect(res.body).not.toHaveProperty('stack');
  expect(text).not.toMatch(
    /\bselect\b|\binsert into\b|\bupdate\b.*\bset\b|api_keys|postgres|drizzle|pglite/i,
  );
  expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
}

describe('problem+json errors', () => {
  it('an unknown route is a 404 problem', async () => {
    const m = await createMerchant(t);
    for (const res of [await m.api.get('/v1/nothing-here'), await m.anon.get('/nothing-here')]) {
      const problem = expectProblem(res, 404, 'not-found');
      expect(problem).toMatchObject({ title: expect.any(String), status: 404, detail: expect.any(String) });
    }
    expect(expectProblem(await m.anon.get('/nothing-here'), 404).instance).toBe('/nothing-here');
  });

  it.each([
    ['POST', '/v1/api-keys', '{"kind": "secret"'],
    ['PATCH', '/v1/merchant', '{pendingDays: 3}'],
    ['PUT', '/v1/customers/c1', 'name=Ann'],
  ])('a malformed JSON body on %s %s is a 400 malformed-request', async (method, path, body) => {
    const m = await createMerchant(t);
    const res = await m.api.request(method, path, body, { 'content-type': 'application/json' });
    expectNothingInternal(res);
    expect(expectProblem(res, 400, 'malformed-request').detail).toEqual(expect.any(String));
  });

  it('a JSON body that is not an object is a validation problem', async () => {
    const m = await createMerchant(t);
    const res = await m.api.request('PUT', '/v1/customers/c1', '[1,2]');
    expect(expectProblem(res, 400, 'validation-failed').errors).toEqual([
      { path: '(body)', message: expect.any(String) },
    ]);
  });

  it('a body over PLAUDIT_MAX_BODY_BYTES is refused with 413 before anything runs', async () => {
    const small = await createTestApp({ env: { PLAUDIT_MAX_BODY_BYTES: '2048' } });
    const m = await createMerchant(small);
    const big = { tags: Array.from({ length: 400 }, (_, i) => `tag-${i}`) };
    expect(JSON.stringify(big).length).toBeGreaterThan(2048);
    const res = await m.api.put('/v1/customers/c1', big);
    expect(expectProblem(res, 413, 'payload-too-large').detail).toContain('2048');
    expectProblem(await m.api.get('/v1/customers/c1'), 404, 'not-found');

    // The same limit holds when the client announces the size up front.
    const body = JSON.stringify(big);
    const announced = await small.app.request('/v1/customers/c1', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${m.secretKey}`,
        'content-type': 'application/json',
        'content-length': String(body.length),
      },
      body,
    });
    expect(announced.status).toBe(413);

    const fits = { tags: Array.from({ length: 50 }, (_, i) => `tag-${i}`) };
    expect((await m.api.put('/v1/customers/c1', fits)).status).toBe(200);
  });

  it('a crash is a bare 500 problem: no message, no stack, no SQL', async () => {
    const m = await createMerchant(t);
    clock.failNext = true;
    const res = await m.api.post('/v1/api-keys', { kind: 'secret' });
    const problem = expectProblem(res, 500, 'internal');
    expect(problem.detail).not.toContain('boom');
    expect(problem.requestId).toBe(res.headers.get('x-request-id'));
    expectNothingInternal(res);
    expect(await keyCount(m)).toBe(2);
  });

  it('no error body leaks internals', async () => {
    const m = await createMerchant(t);
    const responses = [
      await m.anon.get('/v1/customers'),
      await new Api(t.app, `sk_${'x'.repeat(32)}`).get('/v1/customers'),
      await new Api(t.app, m.publishableKey).get('/v1/customers'),
      await m.api.get('/v1/customers/nobody'),
      await m.api.get('/v1/customers?cursor=%00%01'),
      await m.api.put('/v1/customers/c1', { email: 'x', available: 5 }),
      await m.api.request('POST', '/v1/api-keys', '{'),
      await m.api.patch('/v1/merchant', { expiry: { mode: 'fixed' } }),
    ];
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expectNothingInternal(res);
    }
  });
});

describe('/problems/{type}', () => {
  /** Every problem type the source can produce: `super(status, 'type'…)` and `new ApiError(status, 'type'…)`. */
  function typesInSource(): string[] {
    const found = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          const source = readFileSync(path, 'utf8');
          for (const match of source.matchAll(/(?:super|new ApiError)\(\s*[\w.]+,\s*'([a-z-]+)'/g)) {
            found.add(match[1]!);
          }
        }
      }
    };
    walk(join(import.meta.dirname, '../src'));
    return [...found].sort();
  }

  it('finds the problem types thrown in the source', () => {
    expect(typesInSource()).toEqual(expect.arrayContaining(['validation-failed', 'not-found', 'internal']));
  });

  it.each(typesInSource())('serves a description of `%s`', async (type) => {
    const res = await t.app.request(`/problems/${type}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { description: string };
    expect(body).toEqual({ type: `/problems/${type}`, description: expect.any(String) });
    expect(body.description.length).toBeGreaterThan(10);
  });

  it('answers 404 for an unknown type', async () => {
    const res = await new Api(t.app).get('/problems/made-up');
    expectProblem(res, 404, 'not-found');
  });
});

describe('X-Request-Id', () => {
  it('is generated for every response, and problems carry the same id', async () => {
    const m = await createMerchant(t);
    const ok = await m.api.get('/v1/merchant');
    const missing = await m.api.get('/v1/customers/nobody');
    const unauthorized = await m.anon.get('/v1/merchant');
    for (const res of [ok, missing, unauthorized, await m.anon.get('/health')]) {
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    }
    expect(ok.headers.get('x-request-id')).not.toBe(missing.headers.get('x-request-id'));
    expect(missing.body.requestId).toBe(missing.headers.get('x-request-id'));
    expect(unauthorized.body.requestId).toBe(unauthorized.headers.get('x-request-id'));
  });

  it('is echoed when the caller sends one, on success and on errors', async () => {
    const m = await createMerchant(t);
    const ok = await m.api.get('/v1/merchant', { 'x-request-id': 'shop-req-42' });
    expect(ok.headers.get('x-request-id')).toBe('shop-req-42');
    const problem = await m.api.get('/v1/customers/nobody', { 'x-request-id': 'shop-req-43' });
    expect(problem.headers.get('x-request-id')).toBe('shop-req-43');
    expect(problem.body.requestId).toBe('shop-req-43');
  });

  it('replaces an unsafe id instead of echoing it into logs', async () => {
    const m = await createMerchant(t);
    const res = await m.api.get('/v1/merchant', { 'x-request-id': 'evil id\twith "quotes"' });
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, and creates nothing new', async () => {
    const m = await createMerchant(t);
    const body = { kind: 'secret', name: 'Checkout' };
    const first = await m.api.post('/v1/api-keys', body, { 'idempotency-key': 'create-key-1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const again = await m.api.post('/v1/api-keys', body, { 'idempotency-key': 'create-key-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(again.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(again.body.id).toBe(first.body.id);
    expect(await keyCount(m)).toBe(3);

    const fresh = await m.api.post('/v1/api-keys', body, { 'idempotency-key': 'create-key-2' });
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(await keyCount(m)).toBe(4);
  });

  it('does not remember a request refused before it ran: a corrected retry with the same key runs', async () => {
    const m = await createMerchant(t);
    const bad = { kind: 'publishable', scopes: ['admin'] };
    expectProblem(
      await m.api.post('/v1/api-keys', bad, { 'idempotency-key': 'fix-1' }),
      400,
      'validation-failed',
    );
    const again = await m.api.post('/v1/api-keys', bad, { 'idempotency-key': 'fix-1' });
    expectProblem(again, 400, 'validation-failed');
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    const fixed = await m.api.post('/v1/api-keys', { kind: 'publishable' }, { 'idempotency-key': 'fix-1' });
    expect(fixed.status).toBe(201);
  });

  it('remembers a refusal made by the business logic, and replays it', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/poor', {});
    const body = { points: -10, reason: 'too much' };
    const first = await m.api.post('/v1/customers/poor/adjustments', body, { 'idempotency-key': 'spend-1' });
    expectProblem(first, 409, 'insufficient-points');
    const again = await m.api.post('/v1/customers/poor/adjustments', body, { 'idempotency-key': 'spend-1' });
    expectProblem(again, 409, 'insufficient-points');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses the same key with a different body: 422 idempotency-key-reused, nothing created', async () => {
    const m = await createMerchant(t);
    await m.api.post('/v1/api-keys', { kind: 'secret' }, { 'idempotency-key': 'k' });
    const res = await m.api.post('/v1/api-keys', { kind: 'publishable' }, { 'idempotency-key': 'k' });
    expectProblem(res, 422, 'idempotency-key-reused');
    expect(await keyCount(m)).toBe(3);
  });

  it('refuses the same key and body on another path', async () => {
    const m = await createMerchant(t);
    await m.api.post('/v1/api-keys', { kind: 'secret' }, { 'idempotency-key': 'k' });
    const res = await m.api.post('/v1/merchants', { kind: 'secret' }, { 'idempotency-key': 'k' });
    expectProblem(res, 422, 'idempotency-key-reused');
  });

  it('answers 409 idempotency-key-in-flight while the first request with the key is running', async () => {
    const m = await createMerchant(t);
    const body = { kind: 'secret' };
    await m.api.post('/v1/api-keys', body, { 'idempotency-key': 'done-key' });
    const [done] = await t.db
      .select({ hash: idempotencyKeys.requestHash })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.merchantId, m.id), eq(idempotencyKeys.key, 'done-key')));
    // Another instance has just claimed `running-key` for the same request and not finished.
    await t.db
      .insert(idempotencyKeys)
      .values({ merchantId: m.id, key: 'running-key', requestHash: done!.hash, status: 'in_flight' });

    const res = await m.api.post('/v1/api-keys', body, { 'idempotency-key': 'running-key' });
    expectProblem(res, 409, 'idempotency-key-in-flight');
    expect(await keyCount(m)).toBe(3);
    const [marker] = await t.db
      .select({ status: idempotencyKeys.status })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.merchantId, m.id), eq(idempotencyKeys.key, 'running-key')));
    expect(marker!.status).toBe('in_flight');
  });

  it('concurrent requests with one key create exactly one object', async () => {
    const m = await createMerchant(t);
    const body = { kind: 'secret', name: 'race' };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => m.api.post('/v1/api-keys', body, { 'idempotency-key': 'race-key' })),
    );
    const originals = results.filter(
      (r) => r.status === 201 && r.headers.get('idempotent-replayed') === null,
    );
    expect(originals).toHaveLength(1);
    for (const r of results) {
      if (r.status === 201) expect(r.body.id).toBe(originals[0]!.body.id);
      else expectProblem(r, 409, 'idempotency-key-in-flight');
    }
    expect(await keyCount(m)).toBe(3);
  });

  it('takes over a marker abandoned more than 60 s ago', async () => {
    const m = await createMerchant(t);
    const insertMarker = (key: string, ageSeconds: number) =>
      query(
        t.db,
        sql`insert into idempotency_keys (merchant_id, key, request_hash, status, locked_at)
            values (${m.id}, ${key}, 'hash-of-a-request-that-died', 'in_flight',
                    now() - make_interval(secs => ${ageSeconds}))`,
      );
    await insertMarker('stale', 61);
    await insertMarker('recent', 30);

    const taken = await m.api.post('/v1/api-keys', { kind: 'secret' }, { 'idempotency-key': 'stale' });
    expect(taken.status).toBe(201);
    expect(taken.headers.get('idempotent-replayed')).toBeNull();
    const replay = await m.api.post('/v1/api-keys', { kind: 'secret' }, { 'idempotency-key': 'stale' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(taken.body.id);

    expectProblem(
      await m.api.post('/v1/api-keys', { kind: 'secret' }, { 'idempotency-key': 'recent' }),
      422,
      'idempotency-key-reused',
    );
    expect(await keyCount(m)).toBe(3);
  });

  it('keys are per merchant: two merchants may use the same key', async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const body = { kind: 'secret' };
    const fromA = await a.api.post('/v1/api-keys', body, { 'idempotency-key': 'order-1001' });
    const fromB = await b.api.post('/v1/api-keys', body, { 'idempotency-key': 'order-1001' });
    expect(fromB.status).toBe(201);
    expect(fromB.headers.get('idempotent-replayed')).toBeNull();
    expect(fromB.body.id).not.toBe(fromA.body.id);
    expect(await keyCount(a)).toBe(3);
    expect(await keyCount(b)).toBe(3);
  });

  it('does not store a 5xx: the key is free for a retry, which runs for real', async () => {
    const m = await createMerchant(t);
    const body = { kind: 'secret' };
    clock.failNext = true;
    expectProblem(await m.api.post('/v1/api-keys', body, { 'idempotency-key': 'retry-me' }), 500, 'internal');
    const rows = await t.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.merchantId, m.id), eq(idempotencyKeys.key, 'retry-me')));
    expect(rows).toEqual([]);
    expect(await keyCount(m)).toBe(2);

    const retry = await m.api.post('/v1/api-keys', body, { 'idempotency-key': 'retry-me' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await keyCount(m)).toBe(3);
  });

  it('refuses a key longer than 255 characters, naming the header', async () => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/api-keys', { kind: 'secret' }, { 'idempotency-key': 'k'.repeat(256) });
    const problem = expectProblem(res, 400, 'validation-failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['Idempotency-Key']);
    expect(await keyCount(m)).toBe(2);
  });
});

describe('Idempotency-Key and credentials shown once', () => {
  it('never stores a minted key: the replay answers the same object with the key withheld', async () => {
    const m = await createMerchant(t);
    const headers = { 'idempotency-key': 'mint-once' };
    const first = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] }, headers);
    expect(first.body.key).toMatch(/^sk_/);
    const replay = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] }, headers);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toMatchObject({ id: first.body.id, key: '(shown once; not replayed)' });
    const [stored] = await t.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.merchantId, m.id), eq(idempotencyKeys.key, 'mint-once')));
    expect(stored?.responseBody).not.toContain(first.body.key);
  });
});

describe('rate limits', () => {
  // A stopped clock keeps every request in one fixed window.
  const at = () => new TestClock(new Date('2031-03-01T12:00:15Z'));

  it('refuses the request past PLAUDIT_RATE_LIMIT_SECRET in a minute with 429 and RateLimit headers', async () => {
    const limited = await createTestApp({ clock: at(), env: { PLAUDIT_RATE_LIMIT_SECRET: '3' } });
    const m = await createMerchant(limited);
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await m.api.get('/v1/customers');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await m.api.get('/v1/customers');
    expectProblem(refused, 429, 'rate-limited');
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('ratelimit-limit')).toBe('3');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe('45');
    expect(refused.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it('counts each secret key apart, and starts again in the next window', async () => {
    const clockAt = at();
    const limited = await createTestApp({ clock: clockAt, env: { PLAUDIT_RATE_LIMIT_SECRET: '2' } });
    const m = await createMerchant(limited);
    const other = new Api(limited.app, (await m.api.post('/v1/api-keys', { kind: 'secret' })).body.key);
    // The POST above was the first of the admin key's two.
    expect((await m.api.get('/v1/customers')).status).toBe(200);
    expectProblem(await m.api.get('/v1/customers'), 429, 'rate-limited');
    expect((await other.get('/v1/customers')).status).toBe(200);
    clockAt.advance(60_000);
    expect((await m.api.get('/v1/customers')).status).toBe(200);
  });

  it('does not limit secret keys by default', async () => {
    const m = await createMerchant(t);
    const res = await m.api.get('/v1/customers');
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });

  it('limits a publishable key per key and client address', async () => {
    const limited = await createTestApp({ clock: at(), env: { PLAUDIT_RATE_LIMIT_PUBLIC: '2' } });
    const m = await createMerchant(limited);
    const secondKey = (await m.api.post('/v1/api-keys', { kind: 'publishable' })).body.key;
    const from = (key: string, address: string) =>
      new Api(limited.app, key, { 'x-test-client-address': address }).get('/v1/customers');

    // A publishable key may not list customers (403), but every request still counts.
    expect((await from(m.publishableKey, '198.51.100.1')).status).toBe(403);
    expect((await from(m.publishableKey, '198.51.100.1')).status).toBe(403);
    const refused = await from(m.publishableKey, '198.51.100.1');
    expectProblem(refused, 429, 'rate-limited');
    expect(refused.headers.get('ratelimit-limit')).toBe('2');

    expect((await from(m.publishableKey, '198.51.100.2')).status).toBe(403);
    expect((await from(secondKey, '198.51.100.1')).status).toBe(403);
  });
});

describe('CORS', () => {
  it('answers a preflight from any origin with 204 and the allowed methods and headers', async () => {
    const m = await createMerchant(t);
    for (const origin of ['https://shop.example', 'https://anything.example']) {
      const res = await m.anon.request('OPTIONS', '/v1/customers/c1', undefined, {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, content-type',
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      const methods = res.headers.get('access-control-allow-methods') ?? '';
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) expect(methods).toContain(method);
      const headers = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const header of ['authorization', 'content-type', 'idempotency-key', 'x-customer-token']) {
        expect(headers).toContain(header);
      }
    }
  });

  it("lets the browser read a response only from an origin in the merchant's allowedOrigins", async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { allowedOrigins: ['https://shop.example'] });
    const allowed = await m.api.get('/v1/merchant', { origin: 'https://shop.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    expect((allowed.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain(
      'x-request-id',
    );

    const other = await m.api.get('/v1/merchant', { origin: 'https://evil.example' });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('also exposes an error response to an allowed origin, so the widget can read the problem', async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { allowedOrigins: ['https://shop.example'] });
    const res = await new Api(t.app, m.publishableKey).get('/v1/customers', {
      origin: 'https://shop.example',
    });
    expectProblem(res, 403, 'forbidden');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it("ignores another merchant's allowed origins and anonymous requests", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    await a.api.patch('/v1/merchant', { allowedOrigins: ['https://a-shop.example'] });
    const fromB = await b.api.get('/v1/merchant', { origin: 'https://a-shop.example' });
    expect(fromB.headers.get('access-control-allow-origin')).toBeNull();
    const anon = await a.anon.get('/v1/merchant', { origin: 'https://a-shop.example' });
    expect(anon.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('applies a change of allowedOrigins at once', async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { allowedOrigins: ['https://shop.example'] });
    expect(
      (await m.api.get('/v1/merchant', { origin: 'https://shop.example' })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBe('https://shop.example');
    await m.api.patch('/v1/merchant', { allowedOrigins: [] });
    expect(
      (await m.api.get('/v1/merchant', { origin: 'https://shop.example' })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
  });
});

describe('system routes', () => {
  it('/health answers 200 with the database reachable', async () => {
    const res = await new Api(t.app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('/openapi.json is OpenAPI 3.1 and documents every /v1 route with its security and a 400 problem', async () => {
    const res = await new Api(t.app).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(
      expect.arrayContaining(['secretKey', 'publishableKey', 'customerToken', 'operatorToken']),
    );

    const registered = new Set(
      t.app.routes
        .filter((r) => r.path.startsWith('/v1/') && !r.path.endsWith('*') && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    expect(registered.size).toBeGreaterThanOrEqual(10);
    for (const route of registered) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = doc.paths[path]?.[method];
      expect(operation, `${route} is not documented`).toBeDefined();
      expect(operation.security, `${route} has no security`).toEqual(expect.any(Array));
      expect(operation.security.length, `${route} has no security`).toBeGreaterThan(0);
      for (const requirement of operation.security) {
        for (const scheme of Object.keys(requirement))
          expect(doc.components.securitySchemes).toHaveProperty(scheme);
      }
      expect(
        operation.responses['400']?.content?.['application/problem+json'],
        `${route} does not document its 400 problem`,
      ).toBeDefined();
    }
  });

  it('/openapi.json documents the access each route needs', async () => {
    const doc = (await new Api(t.app).get('/openapi.json')).body;
    expect(doc.paths['/v1/merchant'].patch.security).toEqual([{ secretKey: ['admin'] }]);
    expect(doc.paths['/v1/customers/{customerId}'].put.security).toEqual([{ secretKey: ['server'] }]);
    expect(doc.paths['/v1/customers/{customerId}'].delete.security).toEqual([{ secretKey: ['admin'] }]);
    expect(doc.paths['/v1/merchants'].post.security).toEqual([{ operatorToken: [] }]);
  });

  it('/docs serves the HTML reference pointing at the OpenAPI document', async () => {
    const res = await new Api(t.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.body).toContain('/openapi.json');
  });
});
