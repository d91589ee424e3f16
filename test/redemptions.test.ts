import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { couponCodes, events, lots, merchants, redemptions, rewards } from '../db/schema';
import type { VerbContext } from '../src/deps';
import { withTransaction } from '../src/lib/db';
import { lockCustomer } from '../src/modules/ledger/lock-customer';
import { issueRewardFree } from '../src/modules/redemptions/issue-free';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { ledgerViolations, redemptionViolations } from './helpers/invariants';

let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const DAY = 86_400_000;
const CODE = /^[2-9A-HJKMNP-Z]{6}-[2-9A-HJKMNP-Z]{6}$/;
const tenEuros = { name: '€10 off', kind: 'discount_fixed', value: 1_000, currency: 'EUR', costPoints: 100 };

async function createReward(m: TestMerchant, body: Record<string, unknown> = {}) {
  const res = await m.api.post('/v1/rewards', { ...tenEuros, ...body });
  if (res.status !== 201)
    throw new Error(`reward creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string } & Record<string, unknown>;
}

/** A customer with `points` available, made through an admin adjustment. */
async function fund(m: TestMerchant, customerId: string, points: number) {
  await m.api.put(`/v1/customers/${customerId}`, {});
  const res = await m.api.post(`/v1/customers/${customerId}/adjustments`, { points, reason: 'test funds' });
  expect(res.status).toBe(201);
}

async function points(m: TestMerchant, customerId: string) {
  const res = await m.api.get(`/v1/customers/${customerId}`);
  expect(res.status).toBe(200);
  return res.body.points;
}

const redeem = (m: TestMerchant, customerId: string, rewardId: string, extra: Record<string, unknown> = {}) =>
  m.api.post('/v1/redemptions', { customerId, rewardId, ...extra });

async function expectConsistent(m: TestMerchant) {
  expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  expect(await redemptionViolations(t.db, m.id)).toEqual([]);
}

async function eventTypes(m: TestMerchant, prefix = 'redemption.') {
  const rows = await t.db
    .select({ type: events.type, data: events.data })
    .from(events)
    .where(eq(events.merchantId, m.id))
    .orderBy(asc(events.id));
  return rows.filter((r) => r.type.startsWith(prefix));
}

async function serverKey(m: TestMerchant): Promise<Api> {
  const res = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
  return new Api(t.app, res.body.key);
}

describe('POST /v1/redemptions (issue)', () => {
  it('spends the cost, issues a readable coupon and emits redemption.issued', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'ann', 250);
    const res = await redeem(m, 'ann', reward.id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'issued',
      customerId: 'ann',
      rewardId: reward.id,
      pointsSpent: 100,
      expiresAt: null,
      reward: { id: reward.id, name: '€10 off', kind: 'discount_fixed', value: 1_000, currency: 'EUR' },
    });
    expect(res.body.id).toMatch(/^rdm_/);
    expect(res.body.couponCode).toMatch(CODE);
    expect(await points(m, 'ann')).toMatchObject({ available: 150, reserved: 0, lifetimeRedeemed: 100 });
    const ledger = await m.api.get('/v1/customers/ann/ledger');
    expect(ledger.body.data[0]).toMatchObject({
      kind: 'redeem',
      points: -100,
      source: { type: 'redemption', id: res.body.id },
      balanceAfter: 150,
    });
    const emitted = await eventTypes(m);
    expect(emitted).toEqual([
      {
        type: 'redemption.issued',
        data: expect.objectContaining({ redemptionId: res.body.id, couponCode: res.body.couponCode }),
      },
    ]);
    expect((await m.api.get(`/v1/redemptions/${res.body.id}`)).body).toEqual(res.body);
    await expectConsistent(m);
  });

  it('keeps the terms it was issued with when the catalog changes', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'kim', 100);
    const res = await redeem(m, 'kim', reward.id);
    await m.api.patch(`/v1/rewards/${reward.id}`, { value: 5_000, name: 'Changed' });
    const coupon = await m.api.get(`/v1/coupons/${res.body.couponCode}`);
    expect(coupon.body.reward).toMatchObject({ name: '€10 off', value: 1_000 });
  });

  it('hands out codes of the uploaded pool, then is out of stock', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await m.api.post(`/v1/rewards/${reward.id}/codes`, { codes: ['POOL-B', 'POOL-A'] });
    await fund(m, 'pia', 1_000);
    const first = await redeem(m, 'pia', reward.id);
    const second = await redeem(m, 'pia', reward.id);
    expect([first.body.couponCode, second.body.couponCode].sort()).toEqual(['POOL-A', 'POOL-B']);
    expectProblem(await redeem(m, 'pia', reward.id), 409, 'out-of-stock');
    expect((await points(m, 'pia')).available).toBe(800);
    await expectConsistent(m);
  });

  it('consumes the lot that expires soonest first (FIFO by expiry, not by age)', async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { expiry: { mode: 'fixed', days: 365 } });
    await m.api.post('/v1/rules', {
      name: '1 point per euro',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
    });
    const paidAt = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY).toISOString();
    // Written first but expires last; the older order's lot expires in about 65 days.
    await m.api.post('/v1/orders', { id: 'new', customerId: 'fifo', total: 10_000, currency: 'EUR' });
    await m.api.post('/v1/orders', {
      id: 'old',
      customerId: 'fifo',
      total: 10_000,
      currency: 'EUR',
      paidAt: paidAt(300),
    });
    const reward = await createReward(m, { costPoints: 60 });
    expect((await redeem(m, 'fifo', reward.id)).status).toBe(201);

    const remaining = await t.db
      .select({ remaining: lots.remaining, expiresAt: lots.expiresAt })
      .from(lots)
      .where(and(eq(lots.merchantId, m.id), eq(lots.customerId, 'fifo')))
      .orderBy(asc(lots.expiresAt));
    expect(remaining.map((l) => l.remaining)).toEqual([40, 100]);

    clock.advance(70 * DAY);
    try {
      const run = await m.api.post('/v1/jobs/run');
      expect(run.body.expiredPoints).toBe(40);
      expect(await points(m, 'fifo')).toMatchObject({ available: 100, lifetimeExpired: 40 });
    } finally {
      clock.advance(-70 * DAY);
    }
    await expectConsistent(m);
  });

  it.each([
    ['not enough points', {}, 60, 'insufficient-points', { available: 60, needed: 100 }],
    ['an inactive reward', { active: false }, 500, 'reward-unavailable', {}],
    ['a reward not started yet', { startsAt: '2999-01-01T00:00:00Z' }, 500, 'reward-unavailable', {}],
    [
      'a reward that ended',
      { startsAt: '2000-01-01T00:00:00Z', endsAt: '2001-01-01T00:00:00Z' },
      500,
      'reward-unavailable',
      {},
    ],
    ['a reward out of stock', { stock: 0 }, 500, 'out-of-stock', {}],
  ])('refuses %s with its own problem type and changes nothing', async (_label, body, funds, type, extra) => {
    const m = await createMerchant(t);
    const reward = await createReward(m, body);
    await fund(m, 'bob', funds);
    const problem = expectProblem(await redeem(m, 'bob', reward.id), 409, type);
    expect(problem).toMatchObject(extra);
    expect(await points(m, 'bob')).toMatchObject({ available: funds, lifetimeRedeemed: 0 });
    expect((await m.api.get('/v1/redemptions?customerId=bob')).body.data).toEqual([]);
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.stock).toBe(
      (body as { stock?: number }).stock ?? null,
    );
    expect(await eventTypes(m)).toEqual([]);
  });

  it('counts live redemptions against the per-customer limit, not released or cancelled ones', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { perCustomerLimit: 2 });
    await fund(m, 'lim', 1_000);
    const a = await redeem(m, 'lim', reward.id);
    const b = await redeem(m, 'lim', reward.id, { mode: 'reserve' });
    const problem = expectProblem(await redeem(m, 'lim', reward.id), 409, 'limit-reached');
    expect(problem.limit).toBe(2);
    await m.api.post(`/v1/redemptions/${a.body.id}/cancel`);
    await m.api.post(`/v1/redemptions/${b.body.id}/release`);
    expect((await redeem(m, 'lim', reward.id)).status).toBe(201);
    expect((await redeem(m, 'lim', reward.id)).status).toBe(201);
    expectProblem(await redeem(m, 'lim', reward.id), 409, 'limit-reached');
    expect((await redeem(m, 'other', reward.id)).status).toBe(404); // unknown customer
    await fund(m, 'other', 100);
    expect((await redeem(m, 'other', reward.id)).status).toBe(201);
  });

  it('needs the reward tier or higher (tier-required names both tiers)', async () => {
    const m = await createMerchant(t);
    await m.api.put('/v1/tiers', [
      { name: 'Silver', threshold: 100, window: 'lifetime' },
      { name: 'Gold', threshold: 1_000, window: 'lifetime' },
    ]);
    await m.api.post('/v1/rules', {
      name: '1 point per euro',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
    });
    const reward = await createReward(m, { minTier: 'Silver' });
    await fund(m, 'low', 500);
    expect(expectProblem(await redeem(m, 'low', reward.id), 409, 'tier-required')).toMatchObject({
      requiredTier: 'Silver',
      currentTier: null,
    });
    await m.api.post('/v1/orders', { id: 'o-1', customerId: 'gold', total: 150_000, currency: 'EUR' });
    expect((await m.api.get('/v1/customers/gold')).body.tier.name).toBe('Gold');
    expect((await redeem(m, 'gold', reward.id)).status).toBe(201);
    await m.api.post('/v1/orders', { id: 'o-2', customerId: 'silver', total: 20_000, currency: 'EUR' });
    expect((await redeem(m, 'silver', reward.id)).status).toBe(201);
  });

  it.each([
    [{ customerId: undefined }, 'customerId'],
    [{ rewardId: undefined }, 'rewardId'],
    [{ mode: 'later' }, 'mode'],
    [{ mode: 'reserve', ttlSeconds: 3_601 }, 'ttlSeconds'],
    [{ mode: 'reserve', ttlSeconds: 0 }, 'ttlSeconds'],
    [{ ttlSeconds: 60 }, 'ttlSeconds'],
    [{ pointsSpent: 0 }, 'pointsSpent'],
  ])('refuses %j naming %s', async (patch, path) => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'val', 500);
    const body: Record<string, unknown> = { customerId: 'val', rewardId: reward.id, ...patch };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const problem = expectProblem(await m.api.post('/v1/redemptions', body), 400, 'validation-failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await points(m, 'val')).available).toBe(500);
  });

  it('answers 404 for an unknown customer, an unknown reward and a deleted one', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'dee', 500);
    expectProblem(await redeem(m, 'nobody', reward.id), 404, 'not-found');
    expectProblem(await redeem(m, 'dee', 'rwd_unknown'), 404, 'not-found');
    await m.api.delete(`/v1/rewards/${reward.id}`);
    expectProblem(await redeem(m, 'dee', reward.id), 404, 'not-found');
  });
});

describe('two-phase: reserve → commit | release | expiry', () => {
  it('reserve holds the points without a coupon; commit issues it and spends the hold', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 3 });
    await fund(m, 'res', 300);
    const held = await redeem(m, 'res', reward.id, { mode: 'reserve' });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'reserved', couponCode: null, pointsSpent: 100 });
    expect(new Date(held.body.expiresAt).getTime()).toBe(new Date(held.body.createdAt).getTime() + 900_000);
    expect(await points(m, 'res')).toMatchObject({ available: 200, reserved: 100, lifetimeRedeemed: 100 });
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.stock).toBe(2);
    await expectConsistent(m);

    const committed = await m.api.post(`/v1/redemptions/${held.body.id}/commit`);
    expect(committed.status).toBe(200);
    expect(committed.body).toMatchObject({ status: 'issued', expiresAt: null });
    expect(committed.body.couponCode).toMatch(CODE);
    expect(await points(m, 'res')).toMatchObject({ available: 200, reserved: 0, lifetimeRedeemed: 100 });
    expect((await m.api.get(`/v1/coupons/${committed.body.couponCode}`)).body.valid).toBe(true);
    expect((await eventTypes(m)).map((e) => e.type)).toEqual(['redemption.reserved', 'redemption.issued']);

    const again = expectProblem(
      await m.api.post(`/v1/redemptions/${held.body.id}/commit`),
      409,
      'invalid-state',
    );
    expect(again.currentStatus).toBe('issued');
    expectProblem(await m.api.post(`/v1/redemptions/${held.body.id}/release`), 409, 'invalid-state');
    expect(await points(m, 'res')).toMatchObject({ available: 200, reserved: 0 });
    await expectConsistent(m);
  });

  it('release returns the held points as a fresh lot, the stock unit and the pool code, once', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 1 });
    await m.api.post(`/v1/rewards/${reward.id}/codes`, { codes: ['ONLY-ONE'] });
    await fund(m, 'rel', 100);
    const held = await redeem(m, 'rel', reward.id, { mode: 'reserve' });
    const released = await m.api.post(`/v1/redemptions/${held.body.id}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', couponCode: null });
    expect(await points(m, 'rel')).toMatchObject({ available: 100, reserved: 0, lifetimeRedeemed: 0 });
    const ledger = await m.api.get('/v1/customers/rel/ledger');
    expect(ledger.body.data[0]).toMatchObject({ kind: 'redeem', points: 100, balanceAfter: 100 });
    expect(ledger.body.data[0].correctsEntryId).toBe(ledger.body.data[1].id);
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.stock).toBe(1);
    expect((await eventTypes(m)).map((e) => e.type)).toEqual(['redemption.reserved', 'redemption.released']);

    for (const step of ['release', 'commit', 'cancel']) {
      const p = expectProblem(
        await m.api.post(`/v1/redemptions/${held.body.id}/${step}`),
        409,
        'invalid-state',
      );
      expect(p.currentStatus).toBe('released');
    }
    expect(await points(m, 'rel')).toMatchObject({ available: 100, reserved: 0 });
    // The pool code went back: a new redemption gets it.
    const next = await redeem(m, 'rel', reward.id);
    expect(next.body.couponCode).toBe('ONLY-ONE');
    await expectConsistent(m);
  });

  it('a hold past its TTL cannot be committed and is expired by the jobs run, once', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 2 });
    await fund(m, 'ttl', 100);
    const held = await redeem(m, 'ttl', reward.id, { mode: 'reserve', ttlSeconds: 60 });
    expect(new Date(held.body.expiresAt).getTime() - new Date(held.body.createdAt).getTime()).toBe(60_000);
    clock.advance(61_000);
    try {
      const late = expectProblem(
        await m.api.post(`/v1/redemptions/${held.body.id}/commit`),
        409,
        'invalid-state',
      );
      expect(late.currentStatus).toBe('expired');
      expect(await points(m, 'ttl')).toMatchObject({ available: 0, reserved: 100 });

      const run = await m.api.post('/v1/jobs/run');
      expect(run.body.expiredReservations).toBe(1);
      expect((await m.api.post('/v1/jobs/run')).body.expiredReservations).toBe(0);
      const read = await m.api.get(`/v1/redemptions/${held.body.id}`);
      expect(read.body).toMatchObject({ status: 'expired', couponCode: null });
      expect(await points(m, 'ttl')).toMatchObject({ available: 100, reserved: 0, lifetimeRedeemed: 0 });
      expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.stock).toBe(2);
      const released = (await eventTypes(m)).at(-1)!;
      expect(released).toMatchObject({ type: 'redemption.released', data: { reason: 'expired' } });
      expectProblem(await m.api.post(`/v1/redemptions/${held.body.id}/release`), 409, 'invalid-state');
      await expectConsistent(m);
    } finally {
      clock.advance(-61_000);
    }
  });

  it('a hold still inside its TTL is left alone by the jobs run', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'early', 100);
    const held = await redeem(m, 'early', reward.id, { mode: 'reserve', ttlSeconds: 3_600 });
    clock.advance(3_599_000);
    try {
      expect((await m.api.post('/v1/jobs/run')).body.expiredReservations).toBe(0);
      expect((await m.api.post(`/v1/redemptions/${held.body.id}/commit`)).status).toBe(200);
    } finally {
      clock.advance(-3_599_000);
    }
  });
});

describe('lifecycle: use and cancel', () => {
  it('use marks the coupon used with the order id, once', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'use', 100);
    const issued = await redeem(m, 'use', reward.id);
    const used = await m.api.post(`/v1/redemptions/${issued.body.id}/use`, { orderId: 'order-9' });
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({ status: 'used', orderId: 'order-9' });
    expect(used.body.usedAt).not.toBeNull();
    for (const [step, body] of [
      ['use', { orderId: 'order-10' }],
      ['cancel', undefined],
      ['commit', undefined],
    ] as const) {
      const p = expectProblem(
        await m.api.post(`/v1/redemptions/${issued.body.id}/${step}`, body),
        409,
        'invalid-state',
      );
      expect(p.currentStatus).toBe('used');
    }
    expect((await m.api.get(`/v1/redemptions/${issued.body.id}`)).body.orderId).toBe('order-9');
    expect(await points(m, 'use')).toMatchObject({ available: 0, lifetimeRedeemed: 100 });
    expect((await eventTypes(m)).map((e) => e.type)).toEqual(['redemption.issued', 'redemption.used']);
    await expectConsistent(m);
  });

  it('cancel of an unused coupon returns the points and the stock unit, once', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 1 });
    await fund(m, 'can', 100);
    const issued = await redeem(m, 'can', reward.id);
    const cancelled = await m.api.post(`/v1/redemptions/${issued.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await points(m, 'can')).toMatchObject({ available: 100, lifetimeRedeemed: 0 });
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.stock).toBe(1);
    for (const [step, body] of [
      ['cancel', undefined],
      ['use', { orderId: 'o-1' }],
    ] as const) {
      const p = expectProblem(
        await m.api.post(`/v1/redemptions/${issued.body.id}/${step}`, body),
        409,
        'invalid-state',
      );
      expect(p.currentStatus).toBe('cancelled');
    }
    expect(await points(m, 'can')).toMatchObject({ available: 100 });
    expect((await eventTypes(m)).map((e) => e.type)).toEqual(['redemption.issued', 'redemption.cancelled']);
    await expectConsistent(m);
  });

  it('a reservation is released, not cancelled or used', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'rsv', 100);
    const held = await redeem(m, 'rsv', reward.id, { mode: 'reserve' });
    for (const [step, body] of [
      ['cancel', undefined],
      ['use', { orderId: 'o-1' }],
    ] as const) {
      const p = expectProblem(
        await m.api.post(`/v1/redemptions/${held.body.id}/${step}`, body),
        409,
        'invalid-state',
      );
      expect(p.currentStatus).toBe('reserved');
    }
    expect(await points(m, 'rsv')).toMatchObject({ available: 0, reserved: 100 });
  });

  it('returned points settle debt first, like any credit', async () => {
    const m = await createMerchant(t);
    await m.api.post('/v1/rules', {
      name: '1 point per euro',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
    });
    await m.api.post('/v1/orders', { id: 'o-1', customerId: 'debtor', total: 10_000, currency: 'EUR' });
    const reward = await createReward(m);
    const issued = await redeem(m, 'debtor', reward.id);
    await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1' });
    expect(await points(m, 'debtor')).toMatchObject({ available: 0, debt: 100 });
    await m.api.post(`/v1/redemptions/${issued.body.id}/cancel`);
    expect(await points(m, 'debtor')).toMatchObject({ available: 0, debt: 0, lifetimeRedeemed: 0 });
    await expectConsistent(m);
  });

  it.each([
    ['use', { orderId: '' }, 'orderId'],
    ['use', {}, 'orderId'],
    ['use', { orderId: 'o', extra: 1 }, 'extra'],
  ])('%s refuses %j naming %s', async (step, body, path) => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'v', 100);
    const issued = await redeem(m, 'v', reward.id);
    const problem = expectProblem(await m.api.post(`/v1/redemptions/${issued.body.id}/${step}`, body), 400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await m.api.get(`/v1/redemptions/${issued.body.id}`)).body.status).toBe('issued');
  });
});

describe('GET /v1/coupons/{code}', () => {
  it('says what a live coupon gives and to whom', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, {
      name: '15% off',
      kind: 'discount_percent',
      value: 15,
      currency: undefined,
    });
    await fund(m, 'cou', 100);
    const issued = await redeem(m, 'cou', reward.id);
    const res = await m.api.get(`/v1/coupons/${issued.body.couponCode}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      customerId: 'cou',
      redemptionId: issued.body.id,
      reward: {
        id: reward.id,
        name: '15% off',
        kind: 'discount_percent',
        value: 15,
        currency: null,
        productId: null,
      },
    });
  });

  it('answers {valid: false} identically for every unusable code', async () => {
    const m = await createMerchant(t);
    const other = await createMerchant(t);
    const reward = await createReward(m);
    const pooled = await createReward(m, { name: 'Pooled' });
    await m.api.post(`/v1/rewards/${pooled.id}/codes`, { codes: ['NEVER-TAKEN'] });
    await fund(m, 'c', 1_000);
    /** The code a reservation holds, never shown through the API until it is committed. */
    const heldCode = async (id: string) => {
      const [row] = await t.db
        .select({ code: redemptions.couponCode })
        .from(redemptions)
        .where(and(eq(redemptions.merchantId, m.id), eq(redemptions.id, id)));
      expect(row!.code).toMatch(CODE);
      return row!.code!;
    };
    const used = await redeem(m, 'c', reward.id);
    const cancelled = await redeem(m, 'c', reward.id);
    const reserved = await redeem(m, 'c', reward.id, { mode: 'reserve', ttlSeconds: 3_600 });
    const released = await redeem(m, 'c', reward.id, { mode: 'reserve' });
    const expired = await redeem(m, 'c', reward.id, { mode: 'reserve', ttlSeconds: 1 });
    const codes: Record<string, string> = {
      used: used.body.couponCode,
      cancelled: cancelled.body.couponCode,
      reserved: await heldCode(reserved.body.id),
      released: await heldCode(released.body.id),
      expired: await heldCode(expired.body.id),
      'pool code never taken': 'NEVER-TAKEN',
      unknown: 'NO-SUCH-CODE',
    };
    await m.api.post(`/v1/redemptions/${used.body.id}/use`, { orderId: 'o-1' });
    await m.api.post(`/v1/redemptions/${cancelled.body.id}/cancel`);
    await m.api.post(`/v1/redemptions/${released.body.id}/release`);
    clock.advance(2_000);
    try {
      await m.api.post('/v1/jobs/run');
    } finally {
      clock.advance(-2_000);
    }
    expect((await m.api.get(`/v1/redemptions/${expired.body.id}`)).body.status).toBe('expired');
    const otherReward = await createReward(other);
    await fund(other, 'x', 100);
    codes["another merchant's"] = (await redeem(other, 'x', otherReward.id)).body.couponCode;

    for (const [state, code] of Object.entries(codes)) {
      const res = await m.api.get(`/v1/coupons/${encodeURIComponent(code)}`);
      expect({ state, status: res.status, body: res.body }).toEqual({
        state,
        status: 200,
        body: { valid: false },
      });
    }
    expect((await other.api.get(`/v1/coupons/${codes["another merchant's"]}`)).body.valid).toBe(true);
    await expectConsistent(m);
  });
});

describe('GET /v1/redemptions', () => {
  it('lists newest first, by customer and status, page by page', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { costPoints: 10 });
    await fund(m, 'a', 100);
    await fund(m, 'b', 100);
    const ids: string[] = [];
    for (const [customer, mode] of [
      ['a', 'issue'],
      ['b', 'issue'],
      ['a', 'reserve'],
      ['a', 'issue'],
    ]) {
      clock.advance(1);
      ids.push((await redeem(m, customer!, reward.id, { mode })).body.id);
    }
    const all = await m.api.get('/v1/redemptions?limit=3');
    expect(all.body.data.map((r: { id: string }) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    const rest = await m.api.get(`/v1/redemptions?limit=3&cursor=${all.body.nextCursor}`);
    expect(rest.body).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    const mine = await m.api.get('/v1/redemptions?customerId=a&status=issued');
    expect(mine.body.data.map((r: { id: string }) => r.id)).toEqual([ids[3], ids[0]]);
    expectProblem(await m.api.get('/v1/redemptions?status=lost'), 400, 'validation-failed');
    expectProblem(await m.api.get('/v1/redemptions?limit=101'), 400, 'validation-failed');
  });
});

describe('issueRewardFree (for referral rewards)', () => {
  async function grant(m: TestMerchant, customerId: string, rewardId: string, sourceId: string) {
    const [merchant] = await t.db.select().from(merchants).where(eq(merchants.id, m.id));
    return withTransaction(t.db, async (tx) => {
      const ctx: VerbContext = {
        db: tx,
        merchant: merchant!,
        clock,
        logger: t.deps.logger,
        actor: 'test',
        requestId: undefined,
      };
      const customer = await lockCustomer(tx, ctx, customerId);
      return issueRewardFree(tx, ctx, customer, rewardId, { type: 'referral', id: sourceId });
    });
  }

  it('issues a coupon for 0 points, once per source and customer, and cancelling it returns nothing', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 5, perCustomerLimit: 1, active: false });
    const first = await grant(m, 'friend', reward.id, 'ref_1');
    const again = await grant(m, 'friend', reward.id, 'ref_1');
    expect(again.id).toBe(first.id);
    const read = await m.api.get(`/v1/redemptions/${first.id}`);
    expect(read.body).toMatchObject({
      status: 'issued',
      pointsSpent: 0,
      source: { type: 'referral', id: 'ref_1' },
    });
    expect(read.body.couponCode).toMatch(CODE);
    expect((await m.api.get(`/v1/coupons/${read.body.couponCode}`)).body.valid).toBe(true);
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.stock).toBe(4);
    const events_ = await eventTypes(m);
    expect(events_).toEqual([
      {
        type: 'redemption.issued',
        data: expect.objectContaining({ source: { type: 'referral', id: 'ref_1' } }),
      },
    ]);
    expect((await m.api.post(`/v1/redemptions/${first.id}/cancel`)).status).toBe(200);
    expect(await points(m, 'friend')).toMatchObject({ available: 0, lifetimeRedeemed: 0 });
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.stock).toBe(5);
    await expectConsistent(m);
  });

  it('refuses a reward out of stock', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 0 });
    await expect(grant(m, 'friend', reward.id, 'ref_2')).rejects.toMatchObject({ type: 'out-of-stock' });
  });
});

describe('security', () => {
  it('no key → 401; a publishable key → 403; a server key may use every route', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 's', 300);
    const server = await serverKey(m);
    const issued = await server.post('/v1/redemptions', { customerId: 's', rewardId: reward.id });
    expect(issued.status).toBe(201);
    const id = issued.body.id;
    const routes: [string, string, unknown?][] = [
      ['POST', '/v1/redemptions', { customerId: 's', rewardId: reward.id }],
      ['GET', '/v1/redemptions'],
      ['GET', `/v1/redemptions/${id}`],
      ['POST', `/v1/redemptions/${id}/commit`, {}],
      ['POST', `/v1/redemptions/${id}/release`, {}],
      ['POST', `/v1/redemptions/${id}/use`, { orderId: 'o' }],
      ['POST', `/v1/redemptions/${id}/cancel`, {}],
      ['GET', `/v1/coupons/${issued.body.couponCode}`],
    ];
    const publishable = m.anon.as(m.publishableKey);
    for (const [method, path, body] of routes) {
      expectProblem(await m.anon.request(method, path, body), 401, 'unauthorized');
      expectProblem(await publishable.request(method, path, body), 403, 'forbidden');
    }
    expect((await server.get(`/v1/coupons/${issued.body.couponCode}`)).body.valid).toBe(true);
    expect((await server.post(`/v1/redemptions/${id}/use`, { orderId: 'o-1' })).status).toBe(200);
    expect(await points(m, 's')).toMatchObject({ available: 200 });
  });

  it("another merchant's redemption is 404 on every route and changes nothing", async () => {
    const owner = await createMerchant(t);
    const other = await createMerchant(t);
    const reward = await createReward(owner);
    await fund(owner, 'own', 300);
    const issued = await redeem(owner, 'own', reward.id);
    const held = await redeem(owner, 'own', reward.id, { mode: 'reserve' });
    await fund(other, 'own', 300);
    expectProblem(await redeem(other, 'own', reward.id), 404, 'not-found');
    expectProblem(await other.api.get(`/v1/redemptions/${issued.body.id}`), 404, 'not-found');
    for (const [id, step, body] of [
      [held.body.id, 'commit', undefined],
      [held.body.id, 'release', undefined],
      [issued.body.id, 'use', { orderId: 'o' }],
      [issued.body.id, 'cancel', undefined],
    ] as const) {
      expectProblem(await other.api.post(`/v1/redemptions/${id}/${step}`, body), 404, 'not-found');
    }
    expect((await other.api.get('/v1/redemptions')).body.data).toEqual([]);
    expect(await points(owner, 'own')).toMatchObject({ available: 100, reserved: 100 });
    expect((await owner.api.get(`/v1/redemptions/${issued.body.id}`)).body.status).toBe('issued');
  });

  it('an unknown redemption id is 404 on every step', async () => {
    const m = await createMerchant(t);
    for (const step of ['commit', 'release', 'cancel']) {
      expectProblem(await m.api.post(`/v1/redemptions/rdm_nope/${step}`), 404, 'not-found');
    }
    expectProblem(await m.api.post('/v1/redemptions/rdm_nope/use', { orderId: 'o' }), 404, 'not-found');
  });
});

describe('stored state', () => {
  it('a taken pool code points at its redemption', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await m.api.post(`/v1/rewards/${reward.id}/codes`, { codes: ['LINKED'] });
    await fund(m, 'l', 100);
    const issued = await redeem(m, 'l', reward.id);
    const [row] = await t.db
      .select()
      .from(couponCodes)
      .where(and(eq(couponCodes.merchantId, m.id), eq(couponCodes.code, 'LINKED')));
    expect(row!.redemptionId).toBe(issued.body.id);
    const [r] = await t.db.select({ stock: rewards.stock }).from(rewards).where(eq(rewards.id, reward.id));
    expect(r!.stock).toBeNull();
  });
});
