import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, merchants } from '../db/schema';
import { createTestApp, type TestApp } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});

const paths = (problem: { errors: { path: string }[] }) => [...new Set(problem.errors.map((e) => e.path))];

const tenEuros = { name: '€10 off', kind: 'discount_fixed', value: 1_000, currency: 'EUR', costPoints: 500 };

async function createReward(m: TestMerchant, body: Record<string, unknown> = {}) {
  const res = await m.api.post('/v1/rewards', { ...tenEuros, ...body });
  if (res.status !== 201)
    throw new Error(`reward creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string } & Record<string, unknown>;
}

async function serverKey(m: TestMerchant): Promise<Api> {
  const res = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
  return new Api(t.app, res.body.key);
}

async function configVersion(merchantId: string): Promise<number> {
  const [row] = await t.db
    .select({ v: merchants.configVersion })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  return row!.v;
}

async function lastAudit(merchantId: string) {
  const [row] = await t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.merchantId, merchantId), eq(auditLog.targetType, 'reward')))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row;
}

/** A customer with `points` available, made through an admin adjustment. */
async function fund(m: TestMerchant, customerId: string, points: number) {
  await m.api.put(`/v1/customers/${customerId}`, {});
  const res = await m.api.post(`/v1/customers/${customerId}/adjustments`, { points, reason: 'test funds' });
  expect(res.status).toBe(201);
}

describe('POST /v1/rewards', () => {
  it.each([
    [tenEuros],
    [{ name: '15% off', kind: 'discount_percent', value: 15, costPoints: 800 }],
    [{ name: 'Free shipping', kind: 'free_shipping', costPoints: 300 }],
    [{ name: 'Free shipping up to €8', kind: 'free_shipping', value: 800, currency: 'EUR', costPoints: 300 }],
    [{ name: 'Free mug', kind: 'product', productId: 'SKU-MUG', costPoints: 1_200 }],
    [{ name: '€5 credit', kind: 'store_credit', value: 500, currency: 'EUR', costPoints: 400 }],
  ])('creates a %j reward, readable as sent', async (body) => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/rewards', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, active: true, stock: null, perCustomerLimit: null });
    expect(res.body.id).toMatch(/^rwd_/);
    const read = await m.api.get(`/v1/rewards/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('records an audit entry and bumps the config version', async () => {
    const m = await createMerchant(t);
    const before = await configVersion(m.id);
    const reward = await createReward(m, { stock: 10, perCustomerLimit: 2 });
    expect(await configVersion(m.id)).toBe(before + 1);
    expect(await lastAudit(m.id)).toMatchObject({ action: 'reward.created', targetId: reward.id });
  });

  it('takes minTier by name (any case) or id and keeps the tier name', async () => {
    const m = await createMerchant(t);
    const ladder = await m.api.put('/v1/tiers', [
      { name: 'Silver', threshold: 100, window: 'lifetime' },
      { name: 'Gold', threshold: 500, window: 'lifetime' },
    ]);
    expect(ladder.status).toBe(200);
    const gold = (ladder.body.data ?? ladder.body).find((x: { name: string }) => x.name === 'Gold');
    expect((await createReward(m, { minTier: 'gold' })).minTier).toBe('Gold');
    expect((await createReward(m, { minTier: gold.id })).minTier).toBe('Gold');
  });

  it.each([
    [{ kind: 'discount_fixed', value: undefined }, ['value', 'currency']],
    [{ kind: 'discount_fixed', currency: undefined }, ['currency']],
    [{ kind: 'discount_fixed', currency: 'USD' }, ['currency']],
    [{ kind: 'discount_fixed', currency: 'eur' }, ['currency']],
    [{ kind: 'discount_percent', value: 0, currency: undefined }, ['value']],
    [{ kind: 'discount_percent', value: 101, currency: undefined }, ['value']],
    [{ kind: 'discount_percent', value: 10 }, ['currency']],
    [{ kind: 'discount_percent', value: undefined, currency: undefined }, ['value']],
    [{ kind: 'store_credit', value: undefined, currency: undefined }, ['value']],
    [{ kind: 'free_shipping', value: undefined }, ['currency']],
    [{ kind: 'product', value: undefined, currency: undefined }, ['productId']],
    [{ productId: 'SKU-1' }, ['productId']],
    [{ kind: 'voucher' }, ['kind']],
    [{ value: 1.5 }, ['value']],
    [{ costPoints: 0 }, ['costPoints']],
    [{ costPoints: undefined }, ['costPoints']],
    [{ name: '' }, ['name']],
    [{ stock: -1 }, ['stock']],
    [{ perCustomerLimit: 0 }, ['perCustomerLimit']],
    [{ minTier: 'Platinum' }, ['minTier']],
    [{ startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, ['endsAt']],
    [{ endsAt: 'tomorrow' }, ['endsAt']],
    [{ pointsBalance: 5 }, ['pointsBalance']],
  ])('refuses %j naming %j', async (patch, expected) => {
    const m = await createMerchant(t);
    const body: Record<string, unknown> = { ...tenEuros, ...patch };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const problem = expectProblem(await m.api.post('/v1/rewards', body), 400, 'validation-failed');
    expect(paths(problem).sort()).toEqual([...expected].sort());
    expect((await m.api.get('/v1/rewards')).body.data).toEqual([]);
  });
});

describe('GET /v1/rewards', () => {
  it('lists live rewards oldest first, page by page, filtered by active', async () => {
    const m = await createMerchant(t);
    const a = await createReward(m, { name: 'A' });
    const b = await createReward(m, { name: 'B', active: false });
    const c = await createReward(m, { name: 'C' });
    const first = await m.api.get('/v1/rewards?limit=2');
    expect(first.body.data.map((r: { id: string }) => r.id)).toEqual([a.id, b.id]);
    const second = await m.api.get(`/v1/rewards?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: c.id })], nextCursor: null });
    const active = await m.api.get('/v1/rewards?active=true');
    expect(active.body.data.map((r: { id: string }) => r.id)).toEqual([a.id, c.id]);
  });
});

describe('PATCH /v1/rewards/{id}', () => {
  it('changes only the fields sent, audits before and after', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 5 });
    const before = await configVersion(m.id);
    const res = await m.api.patch(`/v1/rewards/${reward.id}`, { costPoints: 700, stock: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...tenEuros, costPoints: 700, stock: null });
    expect(await configVersion(m.id)).toBe(before + 1);
    const audit = await lastAudit(m.id);
    expect(audit).toMatchObject({ action: 'reward.updated', targetId: reward.id });
    expect(audit!.changes).toMatchObject({ before: { costPoints: 500 }, after: { costPoints: 700 } });
  });

  it('validates the merged reward: a new kind needs values that fit it', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    const problem = expectProblem(
      await m.api.patch(`/v1/rewards/${reward.id}`, { kind: 'discount_percent' }),
      400,
    );
    expect(paths(problem).sort()).toEqual(['currency', 'value']);
    const ok = await m.api.patch(`/v1/rewards/${reward.id}`, {
      kind: 'discount_percent',
      value: 20,
      currency: null,
    });
    expect(ok.body).toMatchObject({ kind: 'discount_percent', value: 20, currency: null });
  });

  it('refuses unknown fields and balances', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    const problem = expectProblem(await m.api.patch(`/v1/rewards/${reward.id}`, { id: 'rwd_x' }), 400);
    expect(paths(problem)).toEqual(['id']);
  });
});

describe('DELETE /v1/rewards/{id}', () => {
  it('deletes a reward nobody holds: 204, then 404', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    expect((await m.api.delete(`/v1/rewards/${reward.id}`)).status).toBe(204);
    expectProblem(await m.api.get(`/v1/rewards/${reward.id}`), 404, 'not-found');
    expectProblem(await m.api.delete(`/v1/rewards/${reward.id}`), 404, 'not-found');
    expect(await lastAudit(m.id)).toMatchObject({ action: 'reward.deleted' });
  });

  it('only deactivates a reward with an open redemption (still 204), which stays usable', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'holder', 500);
    const redemption = await m.api.post('/v1/redemptions', { customerId: 'holder', rewardId: reward.id });
    expect(redemption.status).toBe(201);
    expect((await m.api.delete(`/v1/rewards/${reward.id}`)).status).toBe(204);
    const read = await m.api.get(`/v1/rewards/${reward.id}`);
    expect(read.body.active).toBe(false);
    expect(await lastAudit(m.id)).toMatchObject({ action: 'reward.deactivated' });
    const coupon = await m.api.get(`/v1/coupons/${redemption.body.couponCode}`);
    expect(coupon.body.valid).toBe(true);
    expectProblem(
      await m.api.post('/v1/redemptions', { customerId: 'holder', rewardId: reward.id }),
      409,
      'reward-unavailable',
    );
  });
});

describe('POST /v1/rewards/{id}/codes', () => {
  it('adds codes, reports repeats, codes of other pools and codes already issued', async () => {
    const m = await createMerchant(t);
    const first = await createReward(m);
    const second = await createReward(m, { name: 'Other' });
    await fund(m, 'early', 500);
    const issued = await m.api.post('/v1/redemptions', { customerId: 'early', rewardId: first.id });
    await m.api.post(`/v1/rewards/${second.id}/codes`, { codes: ['OTHER-1'] });

    const res = await m.api.post(`/v1/rewards/${first.id}/codes`, {
      codes: ['A-1', 'A-2', 'A-1', 'OTHER-1', issued.body.couponCode, 'A-3'],
    });
    expect(res.status).toBe(201);
    expect(res.body.added).toBe(3);
    expect(res.body.available).toBe(3);
    expect(res.body.duplicates.sort()).toEqual(['A-1', 'OTHER-1', issued.body.couponCode].sort());
    const again = await m.api.post(`/v1/rewards/${first.id}/codes`, { codes: ['A-2', 'A-4'] });
    expect(again.body).toEqual({ added: 1, duplicates: ['A-2'], available: 4 });
  });

  it('lets another merchant upload the same codes: codes are unique per merchant', async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const ra = await createReward(a);
    const rb = await createReward(b);
    expect((await a.api.post(`/v1/rewards/${ra.id}/codes`, { codes: ['SHARED'] })).body.added).toBe(1);
    expect((await b.api.post(`/v1/rewards/${rb.id}/codes`, { codes: ['SHARED'] })).body.added).toBe(1);
  });

  it.each([
    ['no codes', { codes: [] }, 'codes'],
    ['a code with a space', { codes: ['has space'] }, 'codes.0'],
    ['a code of 65 characters', { codes: ['x'.repeat(65)] }, 'codes.0'],
    ['10,001 codes', { codes: Array.from({ length: 10_001 }, (_, i) => `C${i}`) }, 'codes'],
    ['an unknown field', { code: 'A' }, 'code'],
  ])('refuses %s naming %s', async (_label, body, path) => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    const problem = expectProblem(await m.api.post(`/v1/rewards/${reward.id}/codes`, body), 400);
    expect(paths(problem)).toContain(path);
  });

  it('accepts 10,000 codes in one upload', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    const codes = Array.from({ length: 10_000 }, (_, i) => `BULK-${i}`);
    const res = await m.api.post(`/v1/rewards/${reward.id}/codes`, { codes });
    expect(res.body).toEqual({ added: 10_000, duplicates: [], available: 10_000 });
  });
});

describe('security', () => {
  it('no key → 401 on every catalog route', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    for (const res of [
      await m.anon.post('/v1/rewards', tenEuros),
      await m.anon.get('/v1/rewards'),
      await m.anon.get(`/v1/rewards/${reward.id}`),
      await m.anon.patch(`/v1/rewards/${reward.id}`, { name: 'x' }),
      await m.anon.delete(`/v1/rewards/${reward.id}`),
      await m.anon.post(`/v1/rewards/${reward.id}/codes`, { codes: ['A'] }),
    ]) {
      expectProblem(res, 401, 'unauthorized');
    }
  });

  it('a server key reads the catalog but may not change it; a publishable key may do neither', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    const server = await serverKey(m);
    expect((await server.get('/v1/rewards')).status).toBe(200);
    expect((await server.get(`/v1/rewards/${reward.id}`)).status).toBe(200);
    const publishable = m.anon.as(m.publishableKey);
    for (const api of [server, publishable]) {
      expectProblem(await api.post('/v1/rewards', tenEuros), 403, 'forbidden');
      expectProblem(await api.patch(`/v1/rewards/${reward.id}`, { name: 'x' }), 403, 'forbidden');
      expectProblem(await api.delete(`/v1/rewards/${reward.id}`), 403, 'forbidden');
      expectProblem(await api.post(`/v1/rewards/${reward.id}/codes`, { codes: ['A'] }), 403, 'forbidden');
    }
    expectProblem(await publishable.get('/v1/rewards'), 403, 'forbidden');
  });

  it("another merchant's reward is 404 everywhere and absent from its list", async () => {
    const owner = await createMerchant(t);
    const other = await createMerchant(t);
    const reward = await createReward(owner);
    expectProblem(await other.api.get(`/v1/rewards/${reward.id}`), 404, 'not-found');
    expectProblem(await other.api.patch(`/v1/rewards/${reward.id}`, { name: 'x' }), 404, 'not-found');
    expectProblem(await other.api.delete(`/v1/rewards/${reward.id}`), 404, 'not-found');
    expectProblem(await other.api.post(`/v1/rewards/${reward.id}/codes`, { codes: ['A'] }), 404, 'not-found');
    expect((await other.api.get('/v1/rewards')).body.data).toEqual([]);
    expect((await owner.api.get(`/v1/rewards/${reward.id}`)).body.name).toBe(tenEuros.name);
  });
});
