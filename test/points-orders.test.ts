import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

/** A merchant with "1 point per euro" on orders (100 cents per point, floor). */
async function shopWithOrderRule(settings: Record<string, unknown> = {}): Promise<TestMerchant> {
  const m = await createMerchant(t);
  if (Object.keys(settings).length) expect((await m.api.patch('/v1/merchant', settings)).status).toBe(200);
  const rule = await m.api.post('/v1/rules', {
    name: '1 point per euro',
    event: 'order.paid',
    reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
  });
  expect(rule.status).toBe(201);
  return m;
}

const order = (id: string, customerId: string, total: number, extra: Record<string, unknown> = {}) => ({
  id,
  customerId,
  total,
  currency: 'EUR',
  ...extra,
});

async function points(m: TestMerchant, customerId: string) {
  const res = await m.api.get(`/v1/customers/${customerId}`);
  expect(res.status).toBe(200);
  return res.body.points;
}

async function expectConsistent(m: TestMerchant) {
  expect(await ledgerViolations(t.db, m.id)).toEqual([]);
}

describe('POST /v1/orders', () => {
  it('awards points by the active rule and creates the unknown customer', async () => {
    const m = await shopWithOrderRule();
    const res = await m.api.post('/v1/orders', order('o-1', 'alice', 12_345));
    expect(res.status).toBe(201);
    expect(res.body.order).toMatchObject({
      id: 'o-1',
      customerId: 'alice',
      total: 12_345,
      pointsEarned: 123,
    });
    expect(res.body.awarded).toHaveLength(1);
    expect(res.body.awarded[0]).toMatchObject({
      points: 123,
      kind: 'earn',
      status: 'available',
      balanceAfter: 123,
    });
    expect(await points(m, 'alice')).toMatchObject({ available: 123, pending: 0, lifetimeEarned: 123 });
    await expectConsistent(m);
  });

  it('replays the first result for the same order and awards nothing new', async () => {
    const m = await shopWithOrderRule();
    const first = await m.api.post('/v1/orders', order('o-1', 'bob', 5_000));
    const again = await m.api.post('/v1/orders', order('o-1', 'bob', 5_000));
    expect(again.status).toBe(200);
    expect(again.body.awarded.map((e: { id: string }) => e.id)).toEqual(
      first.body.awarded.map((e: { id: string }) => e.id),
    );
    expect((await points(m, 'bob')).available).toBe(50);
  });

  it('refuses the same order id with different content (409 conflict)', async () => {
    const m = await shopWithOrderRule();
    await m.api.post('/v1/orders', order('o-1', 'carol', 5_000));
    expectProblem(await m.api.post('/v1/orders', order('o-1', 'carol', 6_000)), 409, 'conflict');
    expect((await points(m, 'carol')).available).toBe(50);
  });

  it('keeps points pending for the return window, and a backdated order past it is available at once', async () => {
    const m = await shopWithOrderRule({ pendingDays: 14 });
    const fresh = await m.api.post('/v1/orders', order('o-new', 'dan', 10_000));
    expect(fresh.body.awarded[0]).toMatchObject({ status: 'pending', balanceAfter: 0 });
    const old = await m.api.post('/v1/orders', order('o-old', 'dan', 20_000, { paidAt: daysAgo(30) }));
    expect(old.body.awarded[0]).toMatchObject({ status: 'available', points: 200 });
    expect(await points(m, 'dan')).toMatchObject({ available: 200, pending: 100, lifetimeEarned: 300 });
    await expectConsistent(m);
  });

  it('matures pending points when their time comes (jobs run)', async () => {
    const m = await shopWithOrderRule({ pendingDays: 14 });
    await m.api.post('/v1/orders', order('o-1', 'erin', 10_000, { paidAt: daysAgo(13) }));
    expect(await points(m, 'erin')).toMatchObject({ available: 0, pending: 100 });
    clock.advanceDays(2);
    const run = await m.api.post('/v1/jobs/run');
    expect(run.status).toBe(200);
    expect(run.body.maturedPoints).toBe(100);
    expect(await points(m, 'erin')).toMatchObject({ available: 100, pending: 0 });
    await expectConsistent(m);
    clock.advanceDays(-2);
  });

  it.each([
    [{ total: -1 }, 'total'],
    [{ total: 1.5 }, 'total'],
    [{ currency: 'USD' }, 'currency'],
    [{ currency: 'usd' }, 'currency'],
    [{ customerId: '' }, 'customerId'],
    [{ items: [{ sku: 'a', quantity: 0, unitPrice: 1 }] }, 'items.0.quantity'],
    [{ paidAt: 'yesterday' }, 'paidAt'],
    [{ points: 100 }, 'points'],
  ])('refuses %j naming %s', async (patch, path) => {
    const m = await shopWithOrderRule();
    const problem = expectProblem(
      await m.api.post('/v1/orders', { ...order('o-x', 'x', 100), ...patch }),
      400,
    );
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('refunds', () => {
  it('a partial refund reverses floor(earned × refunded / total), the rest reverses everything', async () => {
    const m = await shopWithOrderRule();
    await m.api.post('/v1/orders', order('o-1', 'fay', 10_000)); // 100 points
    const r1 = await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', amount: 3_333 });
    expect(r1.status).toBe(201);
    expect(r1.body.refund.pointsReversed).toBe(33);
    expect(r1.body.reversed[0]).toMatchObject({ kind: 'reverse', points: -33 });
    const r2 = await m.api.post('/v1/orders/o-1/refunds', { id: 'r-2', amount: 3_333 });
    expect(r2.body.refund.pointsReversed).toBe(33); // floor(100 × 6666 / 10000) − 33 = 66 − 33
    const r3 = await m.api.post('/v1/orders/o-1/refunds', { id: 'r-3' });
    expect(r3.body.refund).toMatchObject({ amount: 3_334, pointsReversed: 34 });
    expect(await points(m, 'fay')).toMatchObject({ available: 0, lifetimeEarned: 0, debt: 0 });
    expectProblem(await m.api.post('/v1/orders/o-1/refunds', { id: 'r-4' }), 409, 'invalid-state');
    await expectConsistent(m);
  });

  it('is idempotent on the refund id and refuses a different body under the same id', async () => {
    const m = await shopWithOrderRule();
    await m.api.post('/v1/orders', order('o-1', 'gus', 10_000));
    const first = await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', amount: 5_000 });
    const again = await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', amount: 5_000 });
    expect(again.status).toBe(200);
    expect(again.body.reversed.map((e: { id: string }) => e.id)).toEqual(
      first.body.reversed.map((e: { id: string }) => e.id),
    );
    expectProblem(await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', amount: 4_000 }), 409, 'conflict');
    expect((await points(m, 'gus')).available).toBe(50);
  });

  it('refunds by lines use the lines amounts and refuse more than was ordered', async () => {
    const m = await shopWithOrderRule();
    await m.api.post(
      '/v1/orders',
      order('o-1', 'hal', 10_000, {
        items: [
          { sku: 'A', quantity: 2, unitPrice: 2_500 },
          { sku: 'B', quantity: 1, unitPrice: 5_000 },
        ],
      }),
    );
    const r = await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', items: [{ sku: 'A', quantity: 1 }] });
    expect(r.body.refund).toMatchObject({ amount: 2_500, pointsReversed: 25 });
    const tooMany = expectProblem(
      await m.api.post('/v1/orders/o-1/refunds', { id: 'r-2', items: [{ sku: 'A', quantity: 2 }] }),
      400,
    );
    expect(tooMany.errors[0].path).toBe('items.0.quantity');
    const unknown = expectProblem(
      await m.api.post('/v1/orders/o-1/refunds', { id: 'r-3', items: [{ sku: 'Z', quantity: 1 }] }),
      400,
    );
    expect(unknown.errors[0].path).toBe('items.0.sku');
  });

  it('spent points become debt, settled from the next earnings (policy debt)', async () => {
    const m = await shopWithOrderRule();
    await m.api.post('/v1/orders', order('o-1', 'ivy', 10_000)); // 100
    await m.api.post('/v1/customers/ivy/adjustments', { points: -70, reason: 'spent elsewhere' });
    await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1' });
    expect(await points(m, 'ivy')).toMatchObject({ available: 0, debt: 70 });
    await m.api.post('/v1/orders', order('o-2', 'ivy', 5_000)); // 50, all to debt
    expect(await points(m, 'ivy')).toMatchObject({ available: 0, debt: 20 });
    await m.api.post('/v1/orders', order('o-3', 'ivy', 5_000)); // 50: 20 to debt, 30 left
    expect(await points(m, 'ivy')).toMatchObject({ available: 30, debt: 0 });
    await expectConsistent(m);
  });

  it('forgives spent points under policy forgive; the balance never goes negative', async () => {
    const m = await shopWithOrderRule({ refundPolicy: 'forgive' });
    await m.api.post('/v1/orders', order('o-1', 'jay', 10_000));
    await m.api.post('/v1/customers/jay/adjustments', { points: -70, reason: 'spent' });
    const r = await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1' });
    expect(r.body.reversed[0]).toMatchObject({ points: -30, forgiven: 70 });
    expect(await points(m, 'jay')).toMatchObject({ available: 0, debt: 0, lifetimeEarned: 0 });
    await expectConsistent(m);
  });

  it('a refund inside the return window takes back pending points', async () => {
    const m = await shopWithOrderRule({ pendingDays: 14 });
    await m.api.post('/v1/orders', order('o-1', 'kim', 10_000));
    await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', amount: 4_000 });
    expect(await points(m, 'kim')).toMatchObject({ available: 0, pending: 60 });
    await expectConsistent(m);
  });

  it('an unknown order is 404', async () => {
    const m = await shopWithOrderRule();
    expectProblem(await m.api.post('/v1/orders/nope/refunds', { id: 'r-1' }), 404, 'not-found');
  });
});

describe('adjustments and the ledger', () => {
  it('credits, debits down to zero, refuses below zero, and lists newest first with pagination', async () => {
    const m = await shopWithOrderRule();
    await m.api.put('/v1/customers/lee', {});
    expect(
      (await m.api.post('/v1/customers/lee/adjustments', { points: 50, reason: 'welcome' })).status,
    ).toBe(201);
    expect(
      (await m.api.post('/v1/customers/lee/adjustments', { points: -20, reason: 'fix' })).body,
    ).toMatchObject({
      points: -20,
      kind: 'adjust',
      balanceAfter: 30,
      reason: 'fix',
    });
    const refused = expectProblem(
      await m.api.post('/v1/customers/lee/adjustments', { points: -31, reason: 'too much' }),
      409,
      'insufficient-points',
    );
    expect(refused).toMatchObject({ available: 30, needed: 31 });
    await m.api.post('/v1/orders', order('o-1', 'lee', 1_000));
    const page1 = await m.api.get('/v1/customers/lee/ledger?limit=2');
    expect(page1.body.data.map((e: { points: number }) => e.points)).toEqual([10, -20]);
    const page2 = await m.api.get(`/v1/customers/lee/ledger?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.data.map((e: { points: number }) => e.points)).toEqual([50]);
    expect(page2.body.nextCursor).toBeNull();
    await expectConsistent(m);
  });

  it('adjustments need an admin key and an existing customer of this merchant', async () => {
    const m = await shopWithOrderRule();
    const other = await createMerchant(t);
    await m.api.put('/v1/customers/max', {});
    const server = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
    expectProblem(
      await m.api.as(server.body.key).post('/v1/customers/max/adjustments', { points: 5, reason: 'x' }),
      403,
    );
    expectProblem(await other.api.post('/v1/customers/max/adjustments', { points: 5, reason: 'x' }), 404);
    expectProblem(await other.api.get('/v1/customers/max/ledger'), 404);
    expectProblem(await m.anon.get('/v1/customers/max/ledger'), 401);
  });
});
