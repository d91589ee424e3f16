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
const ago = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();

async function shop(settings: Record<string, unknown> = {}): Promise<TestMerchant> {
  const m = await createMerchant(t, { timezone: 'Europe/Paris' });
  if (Object.keys(settings).length) expect((await m.api.patch('/v1/merchant', settings)).status).toBe(200);
  await m.api.post('/v1/rules', {
    name: 'per euro',
    event: 'order.paid',
    reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
  });
  return m;
}

const ladder = [
  { name: 'Bronze', threshold: 0, window: 'lifetime', earnMultiplier: 1 },
  { name: 'Silver', threshold: 100, window: 'lifetime', earnMultiplier: 1.5 },
  { name: 'Gold', threshold: 500, window: 'lifetime', earnMultiplier: 2 },
];

describe('tiers', () => {
  it('upgrades at once when earned points reach a threshold, and the tier multiplies later earnings', async () => {
    const m = await shop();
    expect((await m.api.put('/v1/tiers', ladder)).status).toBe(200);
    await m.api.post('/v1/orders', { id: 'o-1', customerId: 'amy', total: 5_000, currency: 'EUR' });
    let amy = (await m.api.get('/v1/customers/amy')).body;
    expect(amy.tier.name).toBe('Bronze');
    expect(amy.nextTier).toMatchObject({ name: 'Silver', pointsNeeded: 50 });
    await m.api.post('/v1/orders', { id: 'o-2', customerId: 'amy', total: 6_000, currency: 'EUR' });
    amy = (await m.api.get('/v1/customers/amy')).body;
    expect(amy.tier.name).toBe('Silver');
    const silver = await m.api.post('/v1/orders', {
      id: 'o-3',
      customerId: 'amy',
      total: 10_000,
      currency: 'EUR',
    });
    expect(silver.body.awarded[0].points).toBe(150); // 100 × 1.5
  });

  it('records tier changes as events and moves existing customers up when the ladder changes', async () => {
    const m = await shop();
    await m.api.post('/v1/orders', { id: 'o-1', customerId: 'bo', total: 20_000, currency: 'EUR' });
    expect((await m.api.get('/v1/customers/bo')).body.tier).toBeNull();
    await m.api.put('/v1/tiers', ladder);
    expect((await m.api.get('/v1/customers/bo')).body.tier.name).toBe('Silver');
    const silverOnly = await m.api.get('/v1/customers?tier=silver');
    expect(silverOnly.body.data.map((c: { id: string }) => c.id)).toEqual(['bo']);
  });

  it('downgrades a lifetime tier once refunds take the customer below it, at the next jobs run', async () => {
    const m = await shop();
    await m.api.put('/v1/tiers', ladder);
    await m.api.post('/v1/orders', { id: 'o-1', customerId: 'cy', total: 12_000, currency: 'EUR' });
    expect((await m.api.get('/v1/customers/cy')).body.tier.name).toBe('Silver');
    await m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', amount: 6_000 });
    expect((await m.api.get('/v1/customers/cy')).body.tier.name).toBe('Silver'); // not at once
    const run = await m.api.post('/v1/jobs/run');
    expect(run.body.tierDowngrades).toBe(1);
    expect((await m.api.get('/v1/customers/cy')).body.tier.name).toBe('Bronze');
  });

  it('keeps a rolling-365 tier until a year after it was reached', async () => {
    const m = await shop();
    await m.api.put('/v1/tiers', [
      { name: 'Member', threshold: 0, window: 'rolling365', earnMultiplier: 1 },
      { name: 'VIP', threshold: 100, window: 'rolling365', earnMultiplier: 1 },
    ]);
    await m.api.post('/v1/orders', {
      id: 'o-1',
      customerId: 'di',
      total: 15_000,
      currency: 'EUR',
      paidAt: ago(300),
    });
    expect((await m.api.get('/v1/customers/di')).body.tier.name).toBe('VIP');
    clock.advanceDays(200); // the order is now 500 days old, but VIP was reached 200 days ago
    await m.api.post('/v1/jobs/run');
    expect((await m.api.get('/v1/customers/di')).body.tier.name).toBe('VIP');
    clock.advanceDays(170); // a year has passed since VIP was reached
    await m.api.post('/v1/jobs/run');
    expect((await m.api.get('/v1/customers/di')).body.tier.name).toBe('Member');
    clock.advanceDays(-370);
  });

  it.each([
    [
      [
        { name: 'A', threshold: 10, window: 'lifetime' },
        { name: 'B', threshold: 5, window: 'lifetime' },
      ],
      '1.threshold',
    ],
    [
      [
        { name: 'A', threshold: 0, window: 'lifetime' },
        { name: 'a', threshold: 5, window: 'lifetime' },
      ],
      '1.name',
    ],
    [[{ name: 'A', threshold: 0, window: 'monthly' }], '0.window'],
    [[{ name: 'A', threshold: -1, window: 'lifetime' }], '0.threshold'],
  ])('refuses a bad ladder %j at %s', async (body, path) => {
    const m = await shop();
    const problem = expectProblem(await m.api.put('/v1/tiers', body), 400, 'validation-failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('expiry', () => {
  it('fixed: each lot expires at local midnight N days after it was earned, oldest first', async () => {
    const m = await shop({ expiry: { mode: 'fixed', days: 30 } });
    await m.api.post('/v1/orders', {
      id: 'o-old',
      customerId: 'eva',
      total: 10_000,
      currency: 'EUR',
      paidAt: ago(40),
    });
    await m.api.post('/v1/orders', {
      id: 'o-new',
      customerId: 'eva',
      total: 5_000,
      currency: 'EUR',
      paidAt: ago(5),
    });
    const run = await m.api.post('/v1/jobs/run');
    expect(run.body.expiredPoints).toBe(100);
    const eva = (await m.api.get('/v1/customers/eva')).body.points;
    expect(eva).toMatchObject({ available: 50, lifetimeExpired: 100, lifetimeEarned: 150 });
    const ledger = (await m.api.get('/v1/customers/eva/ledger')).body.data;
    expect(ledger[0]).toMatchObject({ kind: 'expire', points: -100 });
    expect(ledger[0].correctsEntryId).toBe(
      ledger.find((e: { source: { id: string } }) => e.source.id === 'o-old').id,
    );
    const again = await m.api.post('/v1/jobs/run');
    expect(again.body.expiredPoints).toBe(0);
    await expectNoViolations(m);
  });

  it('fixed: the expiry instant is local midnight in the merchant time zone', async () => {
    const m = await shop({ expiry: { mode: 'fixed', days: 1 } });
    // 2026-03-28 23:30 UTC is already 2026-03-29 00:30 in Paris: expiry at 2026-03-30 00:00 Paris (22:00 UTC, summer time).
    const res = await m.api.post('/v1/orders', {
      id: 'o-1',
      customerId: 'fox',
      total: 1_000,
      currency: 'EUR',
      paidAt: '2026-03-28T23:30:00Z',
    });
    expect(res.body.awarded[0].expiresAt).toBe('2026-03-29T22:00:00.000Z');
  });

  it('inactivity: the whole balance expires after N days without activity, not before', async () => {
    const m = await shop({ expiry: { mode: 'inactivity', days: 90 } });
    await m.api.post('/v1/orders', { id: 'o-1', customerId: 'gil', total: 10_000, currency: 'EUR' });
    clock.advanceDays(89);
    expect((await m.api.post('/v1/jobs/run')).body.expiredPoints).toBe(0);
    clock.advanceDays(2);
    expect((await m.api.post('/v1/jobs/run')).body.expiredPoints).toBe(100);
    expect((await m.api.get('/v1/customers/gil')).body.points).toMatchObject({
      available: 0,
      lifetimeExpired: 100,
    });
    clock.advanceDays(-91);
    await expectNoViolations(m);
  });

  it('spending uses the lots that expire soonest first', async () => {
    const m = await shop({ expiry: { mode: 'fixed', days: 60 } });
    await m.api.post('/v1/orders', {
      id: 'o-a',
      customerId: 'hu',
      total: 10_000,
      currency: 'EUR',
      paidAt: ago(50),
    });
    await m.api.post('/v1/orders', {
      id: 'o-b',
      customerId: 'hu',
      total: 10_000,
      currency: 'EUR',
      paidAt: ago(10),
    });
    await m.api.post('/v1/customers/hu/adjustments', { points: -100, reason: 'spent' });
    clock.advanceDays(15); // o-a's lot would have expired now, but it was spent first
    expect((await m.api.post('/v1/jobs/run')).body.expiredPoints).toBe(0);
    expect((await m.api.get('/v1/customers/hu')).body.points.available).toBe(100);
    clock.advanceDays(-15);
    await expectNoViolations(m);
  });
});

describe('read-time maturity', () => {
  it('shows pending points whose time has come as available before any job runs', async () => {
    const m = await shop({ pendingDays: 14 });
    await m.api.post('/v1/orders', {
      id: 'o-1',
      customerId: 'ike',
      total: 10_000,
      currency: 'EUR',
      paidAt: ago(10),
    });
    expect((await m.api.get('/v1/customers/ike')).body.points).toMatchObject({ available: 0, pending: 100 });
    clock.advanceDays(5);
    expect((await m.api.get('/v1/customers/ike')).body.points).toMatchObject({ available: 100, pending: 0 });
    // and they can be spent at once: the write path matures them under the lock
    expect(
      (await m.api.post('/v1/customers/ike/adjustments', { points: -100, reason: 'spend' })).status,
    ).toBe(201);
    clock.advanceDays(-5);
    await expectNoViolations(m);
  });
});

async function expectNoViolations(m: TestMerchant) {
  expect(await ledgerViolations(t.db, m.id)).toEqual([]);
}
