import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem } from './helpers/client';

let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);

describe('GET /v1/merchant', () => {
  it('reads the settings, with defaults for everything not given at creation', async () => {
    const m = await createMerchant(t, { name: 'Acme', currency: 'USD', timezone: 'America/New_York' });
    const res = await m.api.get('/v1/merchant');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: m.id,
      name: 'Acme',
      currency: 'USD',
      timezone: 'America/New_York',
      pointValue: { points: 100, amount: 100 },
      pendingDays: 0,
      expiry: { mode: 'none', days: null },
      refundPolicy: 'debt',
      storefrontRedemption: false,
      allowedOrigins: [],
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
  });
});

describe('PATCH /v1/merchant', () => {
  it.each([
    [{ name: 'Acme Outlet' }, { name: 'Acme Outlet' }],
    [{ currency: 'GBP' }, { currency: 'GBP' }],
    [{ timezone: 'Europe/Paris' }, { timezone: 'Europe/Paris' }],
    [{ pointValue: { points: 10, amount: 5 } }, { pointValue: { points: 10, amount: 5 } }],
    [{ pointValue: { points: 1, amount: 0 } }, { pointValue: { points: 1, amount: 0 } }],
    [{ pendingDays: 14 }, { pendingDays: 14 }],
    [{ pendingDays: 365 }, { pendingDays: 365 }],
    [{ expiry: { mode: 'fixed', days: 365 } }, { expiry: { mode: 'fixed', days: 365 } }],
    [{ expiry: { mode: 'inactivity', days: 180 } }, { expiry: { mode: 'inactivity', days: 180 } }],
    [{ expiry: { mode: 'none' } }, { expiry: { mode: 'none', days: null } }],
    [{ refundPolicy: 'forgive' }, { refundPolicy: 'forgive' }],
    [{ storefrontRedemption: true }, { storefrontRedemption: true }],
    [
      { allowedOrigins: ['https://shop.example', 'http://localhost:3000'] },
      { allowedOrigins: ['https://shop.example', 'http://localhost:3000'] },
    ],
  ])('sets %j and keeps it', async (patch, expected) => {
    const m = await createMerchant(t);
    const res = await m.api.patch('/v1/merchant', patch);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(expected);
    expect((await m.api.get('/v1/merchant')).body).toMatchObject(expected);
  });

  it('changes only the fields sent', async () => {
    const m = await createMerchant(t, { currency: 'EUR', timezone: 'Europe/Berlin' });
    await m.api.patch('/v1/merchant', { pendingDays: 30, storefrontRedemption: true });
    const before = (await m.api.get('/v1/merchant')).body;
    const res = await m.api.patch('/v1/merchant', { refundPolicy: 'forgive' });
    expect(res.body).toEqual({ ...before, refundPolicy: 'forgive', updatedAt: expect.any(String) });
  });

  it('turning expiry off forgets the days', async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { expiry: { mode: 'fixed', days: 90 } });
    const res = await m.api.patch('/v1/merchant', { expiry: { mode: 'none', days: 90 } });
    expect(res.body.expiry).toEqual({ mode: 'none', days: null });
  });

  it('replaces the whole list of allowed origins', async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { allowedOrigins: ['https://a.example', 'https://b.example'] });
    await m.api.patch('/v1/merchant', { allowedOrigins: ['https://c.example'] });
    expect((await m.api.get('/v1/merchant')).body.allowedOrigins).toEqual(['https://c.example']);
    await m.api.patch('/v1/merchant', { allowedOrigins: [] });
    expect((await m.api.get('/v1/merchant')).body.allowedOrigins).toEqual([]);
  });

  it('moves updatedAt and keeps createdAt', async () => {
    const m = await createMerchant(t);
    const before = (await m.api.get('/v1/merchant')).body;
    clock.advance(5_000);
    const after = (await m.api.patch('/v1/merchant', { pendingDays: 1 })).body;
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
  });

  it("changes the calling merchant only, never another's", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const bBefore = (await b.api.get('/v1/merchant')).body;
    await a.api.patch('/v1/merchant', { pendingDays: 21, allowedOrigins: ['https://a.example'] });
    expect((await b.api.get('/v1/merchant')).body).toEqual(bBefore);
  });

  describe.each([
    ['expiry fixed without days', { expiry: { mode: 'fixed' } }, 'expiry.days'],
    ['expiry inactivity without days', { expiry: { mode: 'inactivity' } }, 'expiry.days'],
    ['expiry of zero days', { expiry: { mode: 'fixed', days: 0 } }, 'expiry.days'],
    ['an unknown expiry mode', { expiry: { mode: 'forever', days: 10 } }, 'expiry.mode'],
    ['an unknown field inside expiry', { expiry: { mode: 'none', after: 3 } }, 'expiry.after'],
    ['an origin with a path', { allowedOrigins: ['https://shop.example/cart'] }, 'allowedOrigins.0'],
    ['an origin with a trailing slash', { allowedOrigins: ['https://shop.example/'] }, 'allowedOrigins.0'],
    ['a wildcard origin', { allowedOrigins: ['https://ok.example', '*'] }, 'allowedOrigins.1'],
    ['an origin without a scheme', { allowedOrigins: ['shop.example'] }, 'allowedOrigins.0'],
    ['origins that are not a list', { allowedOrigins: 'https://shop.example' }, 'allowedOrigins'],
    ['negative pendingDays', { pendingDays: -1 }, 'pendingDays'],
    ['pendingDays over a year', { pendingDays: 366 }, 'pendingDays'],
    ['fractional pendingDays', { pendingDays: 1.5 }, 'pendingDays'],
    ['pendingDays as a string', { pendingDays: '14' }, 'pendingDays'],
    ['zero points in the point value', { pointValue: { points: 0, amount: 100 } }, 'pointValue.points'],
    ['a point value without an amount', { pointValue: { points: 100 } }, 'pointValue.amount'],
    ['a lower-case currency', { currency: 'usd' }, 'currency'],
    ['a made-up currency', { currency: 'ABC' }, 'currency'],
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }, 'timezone'],
    ['an unknown refund policy', { refundPolicy: 'refund' }, 'refundPolicy'],
    ['storefrontRedemption as a string', { storefrontRedemption: 'yes' }, 'storefrontRedemption'],
    ['a null setting', { currency: null }, 'currency'],
    ['an empty name', { name: '   ' }, 'name'],
    ['an unknown field', { loyaltyLevel: 3 }, 'loyaltyLevel'],
    ['the id, which is not writable', { id: 'mer_other' }, 'id'],
    ['createdAt, which is not writable', { createdAt: '2020-01-01T00:00:00Z' }, 'createdAt'],
  ])('refuses %s', (_label, patch, field) => {
    it(`with a 400 problem naming \`${field}\`, changing nothing`, async () => {
      const m = await createMerchant(t);
      const before = (await m.api.get('/v1/merchant')).body;
      const res = await m.api.patch('/v1/merchant', patch);
      const problem = expectProblem(res, 400, 'validation-failed');
      expect(problem).toMatchObject({
        type: '/problems/validation-failed',
        title: expect.any(String),
        status: 400,
        detail: expect.any(String),
        instance: '/v1/merchant',
        requestId: res.headers.get('x-request-id'),
      });
      expect(problem.errors).toContainEqual({ path: field, message: expect.any(String) });
      expect((await m.api.get('/v1/merchant')).body).toEqual(before);
    });
  });

  it('names every bad field at once', async () => {
    const m = await createMerchant(t);
    const problem = expectProblem(
      await m.api.patch('/v1/merchant', { pendingDays: -1, currency: 'usd', bogus: true }),
      400,
      'validation-failed',
    );
    expect(paths(problem)).toEqual(expect.arrayContaining(['pendingDays', 'currency', 'bogus']));
  });
});

describe('security of /v1/merchant', () => {
  it('needs credentials: no key → 401', async () => {
    const m = await createMerchant(t);
    expectProblem(await m.anon.get('/v1/merchant'), 401, 'unauthorized');
    expectProblem(await m.anon.patch('/v1/merchant', { pendingDays: 5 }), 401, 'unauthorized');
  });

  it('needs the admin scope: a server key → 403 and nothing changes', async () => {
    const m = await createMerchant(t);
    const created = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
    const server = new Api(t.app, created.body.key);
    expectProblem(await server.get('/v1/merchant'), 403, 'forbidden');
    expectProblem(await server.patch('/v1/merchant', { pendingDays: 5 }), 403, 'forbidden');
    expect((await m.api.get('/v1/merchant')).body.pendingDays).toBe(0);
  });

  it('refuses a publishable key with 403, even to read', async () => {
    const m = await createMerchant(t);
    const browser = new Api(t.app, m.publishableKey);
    expectProblem(await browser.get('/v1/merchant'), 403, 'forbidden');
    expectProblem(
      await browser.patch('/v1/merchant', { allowedOrigins: ['https://evil.example'] }),
      403,
      'forbidden',
    );
    expect((await m.api.get('/v1/merchant')).body.allowedOrigins).toEqual([]);
  });

  it('checks access before the body: a server key with an invalid patch gets 403, not 400', async () => {
    const m = await createMerchant(t);
    const created = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
    expectProblem(
      await new Api(t.app, created.body.key).patch('/v1/merchant', { bogus: 1 }),
      403,
      'forbidden',
    );
    expectProblem(await m.anon.patch('/v1/merchant', { bogus: 1 }), 401, 'unauthorized');
  });
});
