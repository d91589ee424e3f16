import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../db/schema';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';

let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);
const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((c) => c.id);

const ZERO_POINTS = {
  available: 0,
  pending: 0,
  reserved: 0,
  lifetimeEarned: 0,
  lifetimeRedeemed: 0,
  lifetimeExpired: 0,
  debt: 0,
};

async function serverKey(m: TestMerchant): Promise<Api> {
  const res = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
  return new Api(t.app, res.body.key);
}

describe('PUT /v1/customers/{customerId}', () => {
  it('creates a customer from the fields sent, with empty balances', async () => {
    const m = await createMerchant(t);
    const res = await m.api.put('/v1/customers/cust_1001', {
      email: 'ann@example.com',
      name: 'Ann Lee',
      birthday: '1990-04-12',
      tags: ['vip', 'newsletter'],
      createdAt: '2021-06-01T10:00:00+02:00',
      marketingConsent: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 'cust_1001',
      email: 'ann@example.com',
      name: 'Ann Lee',
      birthday: '1990-04-12',
      tags: ['vip', 'newsletter'],
      marketingConsent: true,
      points: ZERO_POINTS,
      tier: null,
      nextTier: null,
      referralCode: null,
      referredBy: null,
      latestNps: null,
      erased: false,
      createdAt: '2021-06-01T08:00:00.000Z',
      updatedAt: expect.stringMatching(/Z$/),
    });
  });

  it('creates a customer from an empty body, with no personal data', async () => {
    const m = await createMerchant(t);
    const res = await m.api.put('/v1/customers/anon-7', {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'anon-7', email: null, name: null, birthday: null, tags: [] });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
  });

  it('updates only the fields sent and leaves the others as they were', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/c1', {
      email: 'ann@example.com',
      name: 'Ann',
      birthday: '1990-04-12',
      tags: ['vip'],
      createdAt: '2021-06-01T00:00:00Z',
      marketingConsent: true,
    });
    const res = await m.api.put('/v1/customers/c1', { name: 'Ann Lee' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      email: 'ann@example.com',
      name: 'Ann Lee',
      birthday: '1990-04-12',
      tags: ['vip'],
      marketingConsent: true,
      createdAt: '2021-06-01T00:00:00.000Z',
    });
    expect((await m.api.get('/v1/customers/c1')).body).toEqual(res.body);
  });

  it('clears a field sent as null', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/c1', { email: 'ann@example.com', name: 'Ann', birthday: '1990-04-12' });
    const res = await m.api.put('/v1/customers/c1', { email: null, birthday: null });
    expect(res.body).toMatchObject({ email: null, name: 'Ann', birthday: null });
  });

  it('stores each tag once', async () => {
    const m = await createMerchant(t);
    const res = await m.api.put('/v1/customers/c1', { tags: ['vip', 'vip', 'wholesale'] });
    expect(res.body.tags).toEqual(['vip', 'wholesale']);
  });

  it('keeps the balance when the profile is updated', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/c1', { name: 'Ann' });
    await t.db
      .update(customers)
      .set({ available: 120, lifetimeEarned: 120 })
      .where(and(eq(customers.merchantId, m.id), eq(customers.id, 'c1')));
    const res = await m.api.put('/v1/customers/c1', { name: 'Ann Lee' });
    expect(res.body.points).toMatchObject({ available: 120, lifetimeEarned: 120 });
  });

  it.each(['points', 'available', 'balance', 'lifetimeEarned', 'debt', 'tier', 'referredBy', 'nickname'])(
    'refuses the field `%s` with 400 naming it, and creates nothing',
    async (field) => {
      const m = await createMerchant(t);
      const body = { name: 'Ann', [field]: field === 'points' ? { available: 1_000_000 } : 1_000_000 };
      const problem = expectProblem(await m.api.put('/v1/customers/c1', body), 400, 'validation-failed');
      expect(paths(problem)).toContain(field);
      expectProblem(await m.api.get('/v1/customers/c1'), 404, 'not-found');
    },
  );

  it('refuses a balance field on an existing customer and leaves the balance alone', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/c1', { name: 'Ann' });
    const problem = expectProblem(
      await m.api.put('/v1/customers/c1', { name: 'Mallory', available: 500 }),
      400,
      'validation-failed',
    );
    expect(paths(problem)).toEqual(['available']);
    expect((await m.api.get('/v1/customers/c1')).body).toMatchObject({ name: 'Ann', points: ZERO_POINTS });
  });

  describe.each([
    ['an address without a domain', { email: 'ann@' }, 'email'],
    ['an address without @', { email: 'ann.example.com' }, 'email'],
    ['an empty address', { email: '' }, 'email'],
    ['an address that is not a string', { email: 42 }, 'email'],
    ['an address over 254 characters', { email: `${'a'.repeat(250)}@example.com` }, 'email'],
    ['an impossible birthday', { birthday: '1990-13-01' }, 'birthday'],
    ['a birthday with a time', { birthday: '1990-04-12T00:00:00Z' }, 'birthday'],
    ['a createdAt that is not ISO 8601', { createdAt: 'yesterday' }, 'createdAt'],
    ['tags that are not a list', { tags: 'vip' }, 'tags'],
    ['an empty tag', { tags: ['vip', ''] }, 'tags.1'],
    ['a name over 200 characters', { name: 'n'.repeat(201) }, 'name'],
    ['marketingConsent as a string', { marketingConsent: 'yes' }, 'marketingConsent'],
  ])('refuses %s', (_label, body, field) => {
    it(`with 400 naming \`${field}\``, async () => {
      const m = await createMerchant(t);
      const problem = expectProblem(await m.api.put('/v1/customers/c1', body), 400, 'validation-failed');
      expect(paths(problem)).toContain(field);
    });
  });

  it('accepts an address with surrounding spaces, trimmed', async () => {
    const m = await createMerchant(t);
    const res = await m.api.put('/v1/customers/c1', { email: '  Ann@Example.com ' });
    expect(res.status).toBe(200);
    expect(res.body.email).toBe('Ann@Example.com');
  });

  it.each([
    ['a space', 'has%20space'],
    ['more than 128 characters', 'c'.repeat(129)],
  ])('refuses a customer id with %s, naming `customerId`', async (_label, id) => {
    const m = await createMerchant(t);
    const problem = expectProblem(await m.api.put(`/v1/customers/${id}`, {}), 400, 'validation-failed');
    expect(paths(problem)).toContain('customerId');
  });
});

describe('GET /v1/customers/{customerId}', () => {
  it('reads a customer with zero points before any activity', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/c1', { email: 'ann@example.com' });
    const res = await m.api.get('/v1/customers/c1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'c1', email: 'ann@example.com', points: ZERO_POINTS, tier: null });
  });

  it('answers 404 for an unknown customer', async () => {
    const m = await createMerchant(t);
    expectProblem(await m.api.get('/v1/customers/nobody'), 404, 'not-found');
  });
});

describe('tenancy', () => {
  it("answers 404 for another merchant's customer", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    await a.api.put('/v1/customers/shared-id', { email: 'ann@example.com' });
    expectProblem(await b.api.get('/v1/customers/shared-id'), 404, 'not-found');
    expectProblem(await b.api.delete('/v1/customers/shared-id'), 404, 'not-found');
    expect((await a.api.get('/v1/customers/shared-id')).body.erased).toBe(false);
  });

  it("a PUT of the same id by another merchant creates that merchant's own customer", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    await a.api.put('/v1/customers/shared-id', { email: 'ann@a.example', name: 'Ann', tags: ['a'] });
    const res = await b.api.put('/v1/customers/shared-id', { email: 'bob@b.example' });
    expect(res.body).toMatchObject({ email: 'bob@b.example', name: null, tags: [] });
    expect((await a.api.get('/v1/customers/shared-id')).body).toMatchObject({
      email: 'ann@a.example',
      name: 'Ann',
      tags: ['a'],
    });
    expect(ids(await b.api.get('/v1/customers'))).toEqual(['shared-id']);
    expect((await b.api.get('/v1/customers?email=ann@a.example')).body.data).toEqual([]);
  });
});

describe('GET /v1/customers', () => {
  it('pages through every customer in a stable order, without duplicates', async () => {
    const m = await createMerchant(t);
    for (const id of ['c3', 'c5', 'c1', 'c4', 'c2']) await m.api.put(`/v1/customers/${id}`, {});
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await m.api.get(`/v1/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('a customer added while paging does not shift the pages', async () => {
    const m = await createMerchant(t);
    for (const id of ['b', 'd', 'f']) await m.api.put(`/v1/customers/${id}`, {});
    const first = await m.api.get('/v1/customers?limit=2');
    expect(ids(first)).toEqual(['b', 'd']);
    await m.api.put('/v1/customers/a', {});
    const second = await m.api.get(`/v1/customers?limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second)).toEqual(['f']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('returns an empty page for a merchant with no customers', async () => {
    const m = await createMerchant(t);
    expect((await m.api.get('/v1/customers')).body).toEqual({ data: [], nextCursor: null });
  });

  it.each([
    ['limit=101', 'limit'],
    ['limit=0', 'limit'],
    ['limit=two', 'limit'],
    ['cursor=garbage', 'cursor'],
    [`cursor=${btoa('{"id":"c1"}')}`, 'cursor'],
  ])('refuses ?%s with 400 naming `%s`', async (query, field) => {
    const m = await createMerchant(t);
    const problem = expectProblem(await m.api.get(`/v1/customers?${query}`), 400, 'validation-failed');
    expect(paths(problem)).toContain(field);
  });

  it('accepts limit=100', async () => {
    const m = await createMerchant(t);
    expect((await m.api.get('/v1/customers?limit=100')).status).toBe(200);
  });

  it('finds a customer by the normalised address: case, +tag and Gmail dots do not matter', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/ann', { email: 'ab@gmail.com' });
    await m.api.put('/v1/customers/other', { email: 'abc@gmail.com' });
    const query = encodeURIComponent('A.B+x@GMail.com');
    expect(ids(await m.api.get(`/v1/customers?email=${query}`))).toEqual(['ann']);
    expect(ids(await m.api.get(`/v1/customers?email=${encodeURIComponent('ab@googlemail.com')}`))).toEqual([
      'ann',
    ]);
  });

  it('matches a stored address that was itself written with dots and a tag', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/ann', { email: 'A.B+shop@GMail.com' });
    const res = await m.api.get('/v1/customers?email=ab@gmail.com');
    expect(ids(res)).toEqual(['ann']);
    expect(res.body.data[0].email).toBe('A.B+shop@GMail.com');
  });

  it('follows an email change', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/customers/ann', { email: 'old@example.com' });
    await m.api.put('/v1/customers/ann', { email: 'new@example.com' });
    expect((await m.api.get('/v1/customers?email=old@example.com')).body.data).toEqual([]);
    expect(ids(await m.api.get('/v1/customers?email=new@example.com'))).toEqual(['ann']);
  });

  it('is readable with a server key, not with a publishable key or none', async () => {
    const m = await createMerchant(t);
    expect((await (await serverKey(m)).get('/v1/customers')).status).toBe(200);
    expectProblem(await new Api(t.app, m.publishableKey).get('/v1/customers'), 403, 'forbidden');
    expectProblem(await m.anon.get('/v1/customers'), 401, 'unauthorized');
  });
});

describe('DELETE /v1/customers/{customerId}', () => {
  async function customerWithData(m: TestMerchant) {
    await m.api.put('/v1/customers/c1', {
      email: 'ann@example.com',
      name: 'Ann Lee',
      birthday: '1990-04-12',
      tags: ['vip'],
      marketingConsent: true,
    });
    await t.db
      .update(customers)
      .set({ available: 70, pending: 30, lifetimeEarned: 150, lifetimeRedeemed: 50 })
      .where(and(eq(customers.merchantId, m.id), eq(customers.id, 'c1')));
  }

  it('scrubs personal data, keeps the balances, and marks the customer erased', async () => {
    const m = await createMerchant(t);
    await customerWithData(m);
    const res = await m.api.delete('/v1/customers/c1');
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    const after = (await m.api.get('/v1/customers/c1')).body;
    expect(after).toMatchObject({
      id: 'c1',
      email: null,
      name: null,
      birthday: null,
      tags: [],
      marketingConsent: false,
      erased: true,
      points: { available: 70, pending: 30, lifetimeEarned: 150, lifetimeRedeemed: 50 },
    });
    const [row] = await t.db
      .select({ emailNormalized: customers.emailNormalized })
      .from(customers)
      .where(and(eq(customers.merchantId, m.id), eq(customers.id, 'c1')));
    expect(row!.emailNormalized).toBeNull();
  });

  it('an erased customer is still listed, but no longer found by the old address', async () => {
    const m = await createMerchant(t);
    await customerWithData(m);
    await m.api.put('/v1/customers/c2', {});
    await m.api.delete('/v1/customers/c1');
    const list = await m.api.get('/v1/customers');
    expect(ids(list)).toEqual(['c1', 'c2']);
    expect(list.body.data[0].erased).toBe(true);
    expect((await m.api.get('/v1/customers?email=ann@example.com')).body.data).toEqual([]);
  });

  it('erasing twice answers 204 and changes nothing more', async () => {
    const m = await createMerchant(t);
    await customerWithData(m);
    expect((await m.api.delete('/v1/customers/c1')).status).toBe(204);
    const first = (await m.api.get('/v1/customers/c1')).body;
    clock.advance(1_000);
    expect((await m.api.delete('/v1/customers/c1')).status).toBe(204);
    expect((await m.api.get('/v1/customers/c1')).body).toEqual(first);
  });

  it('records the erasure in the audit log', async () => {
    const m = await createMerchant(t);
    await customerWithData(m);
    await m.api.delete('/v1/customers/c1');
    await m.api.delete('/v1/customers/c1');
    const log = (await m.api.get('/v1/audit-log')).body.data;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'customer.erased', targetType: 'customer', targetId: 'c1' });
    expect(JSON.stringify(log)).not.toContain('ann@example.com');
  });

  it('answers 404 for an unknown customer', async () => {
    const m = await createMerchant(t);
    expectProblem(await m.api.delete('/v1/customers/nobody'), 404, 'not-found');
  });

  it('needs the admin scope: a server key gets 403 and nothing is erased', async () => {
    const m = await createMerchant(t);
    await customerWithData(m);
    expectProblem(await (await serverKey(m)).delete('/v1/customers/c1'), 403, 'forbidden');
    expectProblem(await new Api(t.app, m.publishableKey).delete('/v1/customers/c1'), 403, 'forbidden');
    expectProblem(await m.anon.delete('/v1/customers/c1'), 401, 'unauthorized');
    expect((await m.api.get('/v1/customers/c1')).body).toMatchObject({
      email: 'ann@example.com',
      erased: false,
    });
  });
});

describe('security of the customer routes', () => {
  it('a server key may upsert and read; a publishable key or no key may not', async () => {
    const m = await createMerchant(t);
    const server = await serverKey(m);
    expect((await server.put('/v1/customers/c1', { name: 'Ann' })).status).toBe(200);
    expect((await server.get('/v1/customers/c1')).body.name).toBe('Ann');
    const browser = new Api(t.app, m.publishableKey);
    expectProblem(await browser.put('/v1/customers/c1', { name: 'Mallory' }), 403, 'forbidden');
    expectProblem(await browser.get('/v1/customers/c1'), 403, 'forbidden');
    expectProblem(await m.anon.put('/v1/customers/c1', { name: 'Mallory' }), 401, 'unauthorized');
    expectProblem(await m.anon.get('/v1/customers/c1'), 401, 'unauthorized');
    expect((await m.api.get('/v1/customers/c1')).body.name).toBe('Ann');
  });
});
