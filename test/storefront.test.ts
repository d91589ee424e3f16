import { gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenKey } from '../src/modules/storefront/token-keys';
import { WIDGET_JS } from '../src/modules/storefront/widget';
import { WIDGET_GZIP_BYTES } from '../src/modules/storefront/widget-route';
import { createTestApp, TEST_SECRET, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const DAY = 86_400_000;
const nowSec = (c: TestClock = clock) => Math.floor(c.now().getTime() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function issue(
  m: TestMerchant,
  customerId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await m.api.post(`/v1/customers/${customerId}/tokens`, body);
  expect(res.status).toBe(201);
  return res.body.token;
}

/** A storefront client: the merchant's publishable key plus a customer token. */
const storefront = (app: TestApp, m: TestMerchant, token: string) =>
  new Api(app.app, m.publishableKey, { 'x-customer-token': token });

interface Claims {
  iss?: string;
  aud?: string;
  sub?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
}

/** Signs a token as a shop (or an attacker) would, with the key of version `kid`. */
async function sign(
  m: TestMerchant,
  claims: Claims,
  opts: { kid?: string | null; alg?: 'HS256' | 'HS512'; key?: Uint8Array; c?: TestClock } = {},
): Promise<string> {
  const c = opts.c ?? clock;
  const kid = opts.kid === undefined ? 'v1' : opts.kid;
  const body = {
    iss: m.id,
    aud: 'plaudit:storefront',
    sub: 'c1',
    iat: nowSec(c),
    exp: nowSec(c) + 600,
    ...claims,
  };
  const key = opts.key ?? (await tokenKey(TEST_SECRET, m.id, Number((kid ?? 'v1').slice(1)) || 1));
  return new SignJWT(body)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', ...(kid === null ? {} : { kid }) })
    .sign(key);
}

async function shop(settings: Record<string, unknown> = {}): Promise<TestMerchant> {
  const m = await createMerchant(t);
  if (Object.keys(settings).length) expect((await m.api.patch('/v1/merchant', settings)).status).toBe(200);
  return m;
}

async function give(m: TestMerchant, customerId: string, points: number) {
  await m.api.put(`/v1/customers/${customerId}`, {});
  const res = await m.api.post(`/v1/customers/${customerId}/adjustments`, { points, reason: 'welcome' });
  expect(res.status).toBe(201);
}

async function reward(m: TestMerchant, fields: Record<string, unknown>): Promise<string> {
  const res = await m.api.post('/v1/rewards', {
    kind: 'discount_fixed',
    value: 500,
    currency: 'EUR',
    ...fields,
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('customer tokens: issuing', () => {
  it('mints an HS256 JWT for the customer with kid, iss, aud, sub, iat and a 900 s default lifetime', async () => {
    const m = await shop();
    const res = await m.api.post('/v1/customers/c1/tokens', {});
    expect(res.status).toBe(201);
    const [header, payload] = res.body.token
      .split('.')
      .slice(0, 2)
      .map((p: string) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'HS256', kid: 'v1' });
    expect(payload).toMatchObject({ iss: m.id, aud: 'plaudit:storefront', sub: 'c1' });
    expect(payload.exp - payload.iat).toBe(900);
    expect(res.body.expiresAt).toBe(new Date(payload.exp * 1000).toISOString());
    expect((await storefront(t, m, res.body.token).get('/v1/me')).body.id).toBe('c1');
  });

  it('takes ttlSeconds up to 3600, and no body at all', async () => {
    const m = await shop();
    const long = await m.api.post('/v1/customers/c1/tokens', { ttlSeconds: 3600 });
    expect(long.status).toBe(201);
    const claims = JSON.parse(Buffer.from(long.body.token.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(3600);
    expect(Date.parse(long.body.expiresAt)).toBe(claims.exp * 1000);
    const bare = await m.api.request('POST', '/v1/customers/c1/tokens');
    expect(bare.status).toBe(201);
  });

  it.each([
    [{ ttlSeconds: 3601 }, 'ttlSeconds'],
    [{ ttlSeconds: 0 }, 'ttlSeconds'],
    [{ ttlSeconds: 90.5 }, 'ttlSeconds'],
    [{ ttlSeconds: '900' }, 'ttlSeconds'],
    [{ customerId: 'c2' }, 'customerId'],
  ])('refuses %j (errors name %s)', async (body, path) => {
    const m = await shop();
    const problem = expectProblem(
      await m.api.post('/v1/customers/c1/tokens', body),
      400,
      'validation-failed',
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([path]);
  });

  it('creates an unknown customer, and refuses an erased one', async () => {
    const m = await shop();
    await issue(m, 'newbie');
    expect((await m.api.get('/v1/customers/newbie')).status).toBe(200);
    await m.api.delete('/v1/customers/newbie');
    expectProblem(await m.api.post('/v1/customers/newbie/tokens', {}), 409, 'invalid-state');
  });

  it('needs a secret key: none is 401, a publishable key 403', async () => {
    const m = await shop();
    expectProblem(await m.anon.post('/v1/customers/c1/tokens', {}), 401, 'unauthorized');
    expectProblem(
      await new Api(t.app, m.publishableKey).post('/v1/customers/c1/tokens', {}),
      403,
      'forbidden',
    );
  });

  it('never replays a token: an idempotent retry answers without it', async () => {
    const m = await shop();
    const first = await m.api.post('/v1/customers/c1/tokens', {}, { 'idempotency-key': 'tok-1' });
    const again = await m.api.post('/v1/customers/c1/tokens', {}, { 'idempotency-key': 'tok-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.token).not.toBe(first.body.token);
    expect(again.body.token).not.toMatch(/^ey/);
  });
});

describe('customer tokens: verification', () => {
  type Attack = (m: TestMerchant, other: TestMerchant) => Promise<{ token: string; key?: string }>;
  const attacks: [string, Attack][] = [
    [
      'alg none',
      async (m) => ({
        token: `${b64({ alg: 'none', kid: 'v1' })}.${b64({ iss: m.id, aud: 'plaudit:storefront', sub: 'c1', iat: nowSec(), exp: nowSec() + 600 })}.`,
      }),
    ],
    [
      'a tampered payload (sub changed)',
      async (m) => {
        const [h, , s] = (await issue(m, 'c1')).split('.');
        const forged = b64({
          iss: m.id,
          aud: 'plaudit:storefront',
          sub: 'c2',
          iat: nowSec(),
          exp: nowSec() + 600,
        });
        return { token: `${h}.${forged}.${s}` };
      },
    ],
    [
      'a wrong signature',
      async (m) => ({ token: await sign(m, {}, { key: new TextEncoder().encode('x'.repeat(64)) }) }),
    ],
    [
      'another merchant’s key material',
      async (m, other) => ({ token: await sign(m, {}, { key: await tokenKey(TEST_SECRET, other.id, 1) }) }),
    ],
    ['HS512 instead of HS256', async (m) => ({ token: await sign(m, {}, { alg: 'HS512' }) })],
    [
      'an expired token',
      async (m) => ({ token: await sign(m, { iat: nowSec() - 700, exp: nowSec() - 60 }) }),
    ],
    ['a not-yet-valid token (nbf ahead)', async (m) => ({ token: await sign(m, { nbf: nowSec() + 300 }) })],
    [
      'an iat in the future',
      async (m) => ({ token: await sign(m, { iat: nowSec() + 300, exp: nowSec() + 900 }) }),
    ],
    [
      'a token older than the maximum TTL',
      async (m) => ({ token: await sign(m, { iat: nowSec() - 7200, exp: nowSec() + 600 }) }),
    ],
    ['a wrong audience', async (m) => ({ token: await sign(m, { aud: 'plaudit:admin' }) })],
    ['a wrong issuer', async (m, other) => ({ token: await sign(m, { iss: other.id }) })],
    [
      'no exp',
      async (m) => ({
        token: await new SignJWT({ iss: m.id, aud: 'plaudit:storefront', sub: 'c1', iat: nowSec() })
          .setProtectedHeader({ alg: 'HS256', kid: 'v1' })
          .sign(await tokenKey(TEST_SECRET, m.id, 1)),
      }),
    ],
    [
      'no sub',
      async (m) => ({
        token: await new SignJWT({ iss: m.id, aud: 'plaudit:storefront', iat: nowSec(), exp: nowSec() + 60 })
          .setProtectedHeader({ alg: 'HS256', kid: 'v1' })
          .sign(await tokenKey(TEST_SECRET, m.id, 1)),
      }),
    ],
    ['an unknown kid', async (m) => ({ token: await sign(m, {}, { kid: 'v7' }) })],
    ['no kid', async (m) => ({ token: await sign(m, {}, { kid: null }) })],
    ['garbage', async () => ({ token: 'not.a.jwt' })],
    ['an empty token', async () => ({ token: '' })],
    [
      "this merchant's token with another merchant's publishable key",
      async (m, other) => ({ token: await issue(m, 'c1'), key: other.publishableKey }),
    ],
  ];

  it.each(attacks)('refuses %s with a 401 problem', async (_name, attack) => {
    const m = await shop();
    const other = await shop();
    await give(m, 'c1', 100);
    const { token, key } = await attack(m, other);
    const res = await new Api(t.app, key ?? m.publishableKey, { 'x-customer-token': token }).get('/v1/me');
    const problem = expectProblem(res, 401, 'unauthorized');
    expect(problem).not.toHaveProperty('points');
    expect(problem.detail).toMatch(/customer token/);
  });

  it('accepts a token the shop signed itself with the shared secret', async () => {
    const m = await shop();
    await give(m, 'shop-signed', 40);
    const secret = await m.api.post('/v1/merchant/token-secret', {});
    expect(secret.status).toBe(201);
    expect(secret.body).toMatchObject({
      kid: 'v2',
      algorithm: 'HS256',
      issuer: m.id,
      audience: 'plaudit:storefront',
      maxTtlSeconds: 3600,
    });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: secret.body.kid })
      .setIssuer(secret.body.issuer)
      .setAudience(secret.body.audience)
      .setSubject('shop-signed')
      .setIssuedAt(nowSec())
      .setExpirationTime(nowSec() + 300)
      .sign(new TextEncoder().encode(secret.body.secret));
    const me = await storefront(t, m, token).get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.points.available).toBe(40);
  });

  it('shows the shared secret once: each call rotates, and a replay hides it', async () => {
    const m = await shop();
    const a = await m.api.post('/v1/merchant/token-secret', {}, { 'idempotency-key': 's-1' });
    const replay = await m.api.post('/v1/merchant/token-secret', {}, { 'idempotency-key': 's-1' });
    expect(replay.body.secret).not.toBe(a.body.secret);
    expect(replay.body.secret).not.toMatch(/^cts_/);
    const b = await m.api.post('/v1/merchant/token-secret', {});
    expect(b.body.kid).toBe('v3');
    expect(b.body.secret).not.toBe(a.body.secret);
    const audit = await m.api.get('/v1/audit-log');
    expect(
      audit.body.data.filter((e: { action: string }) => e.action === 'customer-token-secret.revealed'),
    ).toHaveLength(2);
  });

  it('a customer token only ever reaches its own customer', async () => {
    const m = await shop();
    await give(m, 'ann', 10);
    await give(m, 'bob', 99);
    const ann = storefront(t, m, await issue(m, 'ann'));
    expect((await ann.get('/v1/me')).body).toMatchObject({ id: 'ann', points: { available: 10 } });
    const ledger = await ann.get('/v1/me/ledger');
    expect(ledger.body.data.map((e: { customerId: string }) => e.customerId)).toEqual(['ann']);
  });

  it('binds idempotent storefront requests to the customer: another customer reusing the key gets 422', async () => {
    const m = await shop({ storefrontRedemption: true });
    const rewardId = await reward(m, { name: '5 off', costPoints: 50 });
    await give(m, 'ann', 100);
    await give(m, 'bob', 100);
    const headers = { 'idempotency-key': 'same-key' };
    const first = await storefront(t, m, await issue(m, 'ann')).post(
      '/v1/me/redemptions',
      { rewardId },
      headers,
    );
    expect(first.status).toBe(201);
    const bob = await storefront(t, m, await issue(m, 'bob')).post(
      '/v1/me/redemptions',
      { rewardId },
      headers,
    );
    expectProblem(bob, 422, 'idempotency-key-reused');
    const bare = await new Api(t.app, m.publishableKey).post('/v1/me/redemptions', { rewardId }, headers);
    expect(bare.status).toBe(422);
    expect(JSON.stringify(bob.body) + JSON.stringify(bare.body)).not.toContain(first.body.couponCode);
    const again = await storefront(t, m, await issue(m, 'ann')).post(
      '/v1/me/redemptions',
      { rewardId },
      headers,
    );
    expect(again.body.id).toBe(first.body.id);
  });
});

describe('customer tokens: key rotation', () => {
  it('signs with the next kid at once, keeps earlier tokens until they expire, and drops older versions', async () => {
    const c = new TestClock();
    const app = await createTestApp({ clock: c });
    const m = await createMerchant(app);
    const before = await m.api.post('/v1/customers/c1/tokens', { ttlSeconds: 600 });
    expect(before.status).toBe(201);

    c.advance(5_000);
    const rotated = await m.api.post('/v1/merchant/token-keys/rotate', {});
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ kid: 'v2', previousKid: 'v1' });
    c.advance(5_000);

    const after = await m.api.post('/v1/customers/c1/tokens', {});
    expect(JSON.parse(Buffer.from(after.body.token.split('.')[0], 'base64url').toString()).kid).toBe('v2');
    expect((await storefront(app, m, after.body.token).get('/v1/me')).status).toBe(200);
    // Issued before the rotation: still valid.
    expect((await storefront(app, m, before.body.token).get('/v1/me')).status).toBe(200);
    // Signed with the retired key after the rotation: refused.
    const late = await sign(m, {}, { kid: 'v1', c });
    expectProblem(await storefront(app, m, late).get('/v1/me'), 401);

    c.advance(600_000);
    expectProblem(await storefront(app, m, before.body.token).get('/v1/me'), 401, 'unauthorized');

    await m.api.post('/v1/merchant/token-keys/rotate', {});
    const fresh = await m.api.post('/v1/customers/c1/tokens', {});
    expect((await storefront(app, m, fresh.body.token).get('/v1/me')).status).toBe(200);
    // v2 tokens issued before the second rotation still work; v1 is gone for good.
    expect((await storefront(app, m, after.body.token).get('/v1/me')).status).toBe(200);
    const v1 = await sign(m, { iat: nowSec(c) - 10 }, { kid: 'v1', c });
    expectProblem(await storefront(app, m, v1).get('/v1/me'), 401);

    const audit = await m.api.get('/v1/audit-log');
    expect(
      audit.body.data.filter((e: { action: string }) => e.action === 'customer-token-key.rotated'),
    ).toHaveLength(2);
  });

  it('is for admin keys only', async () => {
    const m = await shop();
    const server = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
    expectProblem(
      await new Api(t.app, server.body.key).post('/v1/merchant/token-keys/rotate', {}),
      403,
      'forbidden',
    );
    expectProblem(
      await new Api(t.app, server.body.key).post('/v1/merchant/token-secret', {}),
      403,
      'forbidden',
    );
    expectProblem(await new Api(t.app, m.publishableKey).post('/v1/merchant/token-keys/rotate', {}), 403);
    expectProblem(await m.anon.post('/v1/merchant/token-keys/rotate', {}), 401);
  });
});

describe('/v1/me access', () => {
  const routes: [string, string][] = [
    ['GET', '/v1/me'],
    ['GET', '/v1/me/ledger'],
    ['GET', '/v1/me/rewards'],
    ['POST', '/v1/me/redemptions'],
    ['POST', '/v1/me/referral-code'],
  ];

  it.each(routes)('%s %s: a secret key is 403, even with a valid customer token', async (method, path) => {
    const m = await shop();
    const token = await issue(m, 'c1');
    const res = await new Api(t.app, m.secretKey, { 'x-customer-token': token }).request(
      method,
      path,
      method === 'POST' ? {} : undefined,
    );
    expectProblem(res, 403, 'forbidden');
  });

  it.each(routes)('%s %s: a publishable key without a customer token is 403', async (method, path) => {
    const m = await shop();
    expectProblem(
      await new Api(t.app, m.publishableKey).request(method, path, method === 'POST' ? {} : undefined),
      403,
      'forbidden',
    );
  });

  it.each(routes)('%s %s: no credentials (even with a token) is 401', async (method, path) => {
    const m = await shop();
    const token = await issue(m, 'c1');
    expectProblem(
      await new Api(t.app, undefined, { 'x-customer-token': token }).request(method, path),
      401,
      'unauthorized',
    );
  });
});

describe('CORS on /v1/me', () => {
  it("adds Access-Control-Allow-Origin only for the merchant's allowedOrigins", async () => {
    const m = await shop({ allowedOrigins: ['https://shop.example'] });
    const sf = storefront(t, m, await issue(m, 'c1'));
    const allowed = await sf.get('/v1/me', { origin: 'https://shop.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await sf.get('/v1/me/rewards', { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight for any origin, allowing X-Customer-Token', async () => {
    const res = await t.app.request('/v1/me/redemptions', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://anywhere.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-customer-token, content-type, idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('X-Customer-Token');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('counts storefront calls against the per-publishable-key rate limit', async () => {
    const limited = await createTestApp({ env: { PLAUDIT_RATE_LIMIT_PUBLIC: '2' } });
    const m = await createMerchant(limited);
    const sf = storefront(limited, m, await issue(m, 'c1'));
    expect((await sf.get('/v1/me')).headers.get('ratelimit-limit')).toBe('2');
    await sf.get('/v1/me');
    const third = await sf.get('/v1/me');
    expectProblem(third, 429, 'rate-limited');
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('GET /v1/me', () => {
  it('shows balance, tier with progress to the next, points expiring within 30 days and the referral link', async () => {
    const m = await shop({ expiry: { mode: 'fixed', days: 20 } });
    await m.api.put('/v1/tiers', [
      { name: 'Bronze', threshold: 0, window: 'lifetime', earnMultiplier: 1 },
      { name: 'Silver', threshold: 200, window: 'lifetime', earnMultiplier: 1 },
    ]);
    await m.api.put('/v1/referral-program', {
      active: true,
      referrerReward: { points: 100 },
      refereeReward: { points: 50 },
      minOrderTotal: 0,
      holdDays: 0,
      attributionWindowDays: 30,
      linkTemplate: 'https://shop.example/r/{code}',
    });
    await m.api.post('/v1/rules', {
      name: 'signup',
      event: 'signup',
      reward: { type: 'fixed', points: 150 },
    });
    expect(
      (await m.api.post('/v1/events', { id: 'signup-1', type: 'signup', customerId: 'amy' })).status,
    ).toBe(201);
    const code = await m.api.post('/v1/customers/amy/referral-code', {});

    const me = await storefront(t, m, await issue(m, 'amy')).get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: 'amy',
      points: { available: 150, pending: 0 },
      tier: { name: 'Bronze' },
      nextTier: { name: 'Silver', threshold: 200, pointsNeeded: 50, progress: 0.75 },
      expiringSoon: { points: 150 },
      referralCode: code.body.code,
      referralLink: `https://shop.example/r/${code.body.code}`,
      storefrontRedemption: false,
    });
    const days = (Date.parse(me.body.expiringSoon.at) - clock.now().getTime()) / DAY;
    expect(days).toBeGreaterThan(19);
    expect(days).toBeLessThanOrEqual(21);
    expect(me.body).not.toHaveProperty('tags');
    expect(me.body).not.toHaveProperty('latestNps');
  });

  it('shows nothing expiring when the next expiry is more than 30 days away, and for inactivity only near the deadline', async () => {
    const far = await shop({ expiry: { mode: 'fixed', days: 90 } });
    await give(far, 'c1', 30);
    expect((await storefront(t, far, await issue(far, 'c1')).get('/v1/me')).body.expiringSoon).toBeNull();

    const idle = await shop({ expiry: { mode: 'inactivity', days: 40 } });
    await give(idle, 'c1', 30);
    const sf = storefront(t, idle, await issue(idle, 'c1'));
    expect((await sf.get('/v1/me')).body.expiringSoon).toBeNull();
    clock.advanceDays(15);
    try {
      const me = await storefront(t, idle, await issue(idle, 'c1')).get('/v1/me');
      expect(me.body.expiringSoon).toMatchObject({ points: 30 });
    } finally {
      clock.advanceDays(-15);
    }
  });

  it('answers a zero balance for a customer Plaudit has not seen yet', async () => {
    const m = await shop();
    const secret = await m.api.post('/v1/merchant/token-secret', {});
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: secret.body.kid })
      .setIssuer(m.id)
      .setAudience('plaudit:storefront')
      .setSubject('brand-new')
      .setIssuedAt(nowSec())
      .setExpirationTime(nowSec() + 60)
      .sign(new TextEncoder().encode(secret.body.secret));
    const me = await storefront(t, m, token).get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'brand-new', points: { available: 0 }, referralCode: null });
  });
});

describe('GET /v1/me/ledger', () => {
  it("pages through the customer's own entries, newest first", async () => {
    const m = await shop();
    for (const points of [10, 20, 30]) await give(m, 'c1', points);
    await give(m, 'someone-else', 5);
    const sf = storefront(t, m, await issue(m, 'c1'));
    const first = await sf.get('/v1/me/ledger?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data.map((e: { points: number }) => e.points)).toEqual([30, 20]);
    const second = await sf.get(`/v1/me/ledger?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((e: { points: number }) => e.points)).toEqual([10]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['cursor=nonsense', 'cursor'],
  ])('refuses %s', async (q, path) => {
    const m = await shop();
    const res = await storefront(t, m, await issue(m, 'c1')).get(`/v1/me/ledger?${q}`);
    expect(expectProblem(res, 400, 'validation-failed').errors[0].path).toBe(path);
  });
});

describe('GET /v1/me/rewards', () => {
  it('lists rewards active now, cheapest first, with affordable, eligible and inStock', async () => {
    const m = await shop();
    await m.api.put('/v1/tiers', [
      { name: 'Bronze', threshold: 0, window: 'lifetime', earnMultiplier: 1 },
      { name: 'Gold', threshold: 1000, window: 'lifetime', earnMultiplier: 1 },
    ]);
    const cheap = await reward(m, { name: 'Cheap', costPoints: 50 });
    const dear = await reward(m, { name: 'Dear', costPoints: 500 });
    const gold = await reward(m, { name: 'Gold only', costPoints: 60, minTier: 'gold' });
    const gone = await reward(m, { name: 'Sold out', costPoints: 70, stock: 0 });
    await reward(m, { name: 'Inactive', costPoints: 10, active: false });
    await reward(m, {
      name: 'Later',
      costPoints: 10,
      startsAt: new Date(clock.now().getTime() + DAY).toISOString(),
    });
    await reward(m, {
      name: 'Over',
      costPoints: 10,
      endsAt: new Date(clock.now().getTime() - DAY).toISOString(),
    });
    await give(m, 'c1', 100);
    const other = await shop();
    await reward(other, { name: 'Elsewhere', costPoints: 1 });

    const res = await storefront(t, m, await issue(m, 'c1')).get('/v1/me/rewards');
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { id: string }) => r.id)).toEqual([cheap, gold, gone, dear]);
    const by = Object.fromEntries(res.body.data.map((r: { id: string }) => [r.id, r]));
    expect(by[cheap]).toMatchObject({ affordable: true, eligible: true, inStock: true, pointsNeeded: 0 });
    expect(by[dear]).toMatchObject({ affordable: false, eligible: true, pointsNeeded: 400 });
    expect(by[gold]).toMatchObject({ affordable: true, eligible: false });
    expect(by[gone]).toMatchObject({ affordable: true, inStock: false });
  });
});

describe('POST /v1/me/redemptions', () => {
  it('is refused with 403 storefront-redemption-disabled unless the merchant allows it', async () => {
    const m = await shop();
    const rewardId = await reward(m, { name: '5 off', costPoints: 50 });
    await give(m, 'c1', 100);
    const sf = storefront(t, m, await issue(m, 'c1'));
    expectProblem(await sf.post('/v1/me/redemptions', { rewardId }), 403, 'storefront-redemption-disabled');
    expect((await m.api.get('/v1/customers/c1')).body.points.available).toBe(100);
  });

  it("spends the customer's points and issues a coupon when allowed", async () => {
    const m = await shop({ storefrontRedemption: true });
    const rewardId = await reward(m, { name: '5 off', costPoints: 60 });
    await give(m, 'c1', 100);
    const sf = storefront(t, m, await issue(m, 'c1'));
    const res = await sf.post('/v1/me/redemptions', { rewardId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ customerId: 'c1', rewardId, status: 'issued', pointsSpent: 60 });
    expect(res.body.couponCode).toEqual(expect.any(String));
    expect((await sf.get('/v1/me')).body.points.available).toBe(40);
    expectProblem(await sf.post('/v1/me/redemptions', { rewardId }), 409, 'insufficient-points');
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });

  it.each([
    [{}, 'rewardId'],
    [{ rewardId: '' }, 'rewardId'],
    [{ rewardId: 'rwd_x', customerId: 'c2' }, 'customerId'],
    [{ rewardId: 'rwd_x', mode: 'reserve' }, 'mode'],
  ])('refuses %j (errors name %s)', async (body, path) => {
    const m = await shop({ storefrontRedemption: true });
    const res = await storefront(t, m, await issue(m, 'c1')).post('/v1/me/redemptions', body);
    expect(expectProblem(res, 400, 'validation-failed').errors.map((e: { path: string }) => e.path)).toEqual([
      path,
    ]);
  });

  it("answers 404 for another merchant's reward", async () => {
    const m = await shop({ storefrontRedemption: true });
    const other = await shop();
    const foreign = await reward(other, { name: 'Theirs', costPoints: 1 });
    await give(m, 'c1', 100);
    expectProblem(
      await storefront(t, m, await issue(m, 'c1')).post('/v1/me/redemptions', { rewardId: foreign }),
      404,
      'not-found',
    );
  });
});

describe('POST /v1/me/referral-code', () => {
  it('creates the code once and returns the same one after', async () => {
    const m = await shop();
    const sf = storefront(t, m, await issue(m, 'c1'));
    const first = await sf.post('/v1/me/referral-code');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      code: expect.any(String),
      link: expect.stringContaining(first.body.code),
    });
    const again = await sf.request('POST', '/v1/me/referral-code');
    expect(again.status).toBe(200);
    expect(again.body.code).toBe(first.body.code);
    expect((await sf.get('/v1/me')).body.referralCode).toBe(first.body.code);
  });

  it('takes no vanity code from the browser', async () => {
    const m = await shop();
    const res = await storefront(t, m, await issue(m, 'c1')).post('/v1/me/referral-code', {
      code: 'FREE-MONEY',
    });
    expect(expectProblem(res, 400, 'validation-failed').errors[0].path).toBe('code');
  });
});

describe('GET /widget.js', () => {
  it('serves the script with cache headers and answers 304 to its ETag', async () => {
    const res = await t.app.request('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await res.text();
    expect(body).toContain("customElements.define('plaudit-rewards'");
    const etag = res.headers.get('etag')!;
    const again = await t.app.request('/widget.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('stays small, states its gzipped size truthfully and makes no third-party requests', async () => {
    const gzipped = gzipSync(WIDGET_JS, { level: 9 }).length;
    expect(gzipped).toBeLessThan(8 * 1024);
    expect(Math.abs(gzipped - WIDGET_GZIP_BYTES)).toBeLessThan(200);
    expect(WIDGET_JS).not.toMatch(/https?:\/\//);
    expect(WIDGET_JS).not.toMatch(/\.innerHTML\s*=|insertAdjacentHTML|eval\(|new Function/);
    const doc = await t.app.request('/openapi.json');
    const spec = (await doc.json()) as { paths: Record<string, { get: { description: string } }> };
    expect(spec.paths['/widget.js']!.get.description).toContain(
      `${(WIDGET_GZIP_BYTES / 1024).toFixed(1)} KB gzipped`,
    );
  });
});
