import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { type ApiResponse, createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { usingPostgres } from './helpers/database';
import { ledgerViolations, redemptionViolations } from './helpers/invariants';

// Against real Postgres these requests run concurrently on a pool of connections; on PGlite
// they are serialised by the single connection, and the outcome must be the same.
let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const reward10 = { name: '€10 off', kind: 'discount_fixed', value: 1_000, currency: 'EUR', costPoints: 100 };

async function createReward(m: TestMerchant, body: Record<string, unknown> = {}): Promise<string> {
  const res = await m.api.post('/v1/rewards', { ...reward10, ...body });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function fund(m: TestMerchant, customerId: string, points: number) {
  await m.api.put(`/v1/customers/${customerId}`, {});
  const res = await m.api.post(`/v1/customers/${customerId}/adjustments`, { points, reason: 'test funds' });
  expect(res.status).toBe(201);
}

async function points(m: TestMerchant, customerId: string) {
  return (await m.api.get(`/v1/customers/${customerId}`)).body.points;
}

async function allRedemptions(m: TestMerchant) {
  const out: {
    id: string;
    customerId: string;
    rewardId: string;
    status: string;
    pointsSpent: number;
    couponCode: string | null;
  }[] = [];
  let cursor: string | null = null;
  do {
    const res: ApiResponse = await m.api.get(`/v1/redemptions?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

async function expectConsistent(m: TestMerchant) {
  expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  expect(await redemptionViolations(t.db, m.id)).toEqual([]);
}

const count = (results: ApiResponse[], status: number) => results.filter((r) => r.status === status).length;

describe(`concurrent redemptions (${usingPostgres() ? 'Postgres' : 'PGlite'})`, () => {
  it('50 concurrent redemptions on a balance that affords 10 yield exactly 10', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'racer', 1_000);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        m.api.post('/v1/redemptions', { customerId: 'racer', rewardId: reward }),
      ),
    );
    expect(count(results, 201)).toBe(10);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(expectProblem(r, 409, 'insufficient-points')).toMatchObject({ needed: 100, available: 0 });
    }
    const codes = new Set(results.filter((r) => r.status === 201).map((r) => r.body.couponCode));
    expect(codes.size).toBe(10);
    expect(await points(m, 'racer')).toMatchObject({ available: 0, reserved: 0, lifetimeRedeemed: 1_000 });
    expect(await allRedemptions(m)).toHaveLength(10);
    await expectConsistent(m);
  });

  it('20 concurrent requests with one Idempotency-Key make one redemption', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    await fund(m, 'retry', 1_000);
    const body = { customerId: 'retry', rewardId: reward };
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        m.api.post('/v1/redemptions', body, { 'idempotency-key': 'checkout-42' }),
      ),
    );
    const originals = results.filter(
      (r) => r.status === 201 && r.headers.get('idempotent-replayed') === null,
    );
    expect(originals).toHaveLength(1);
    for (const r of results) {
      if (r.status === 201) expect(r.body.id).toBe(originals[0]!.body.id);
      else expectProblem(r, 409, 'idempotency-key-in-flight');
    }
    const replay = await m.api.post('/v1/redemptions', body, { 'idempotency-key': 'checkout-42' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(originals[0]!.body.id);
    expect(await allRedemptions(m)).toHaveLength(1);
    expect(await points(m, 'retry')).toMatchObject({ available: 900, lifetimeRedeemed: 100 });
    await expectConsistent(m);
  });

  it('concurrent use and cancel of one coupon: exactly one wins, the other is invalid-state', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { costPoints: 10 });
    await fund(m, 'shopper', 100);
    const issued: string[] = [];
    for (let i = 0; i < 10; i++) {
      issued.push((await m.api.post('/v1/redemptions', { customerId: 'shopper', rewardId: reward })).body.id);
    }
    const outcomes = await Promise.all(
      issued.map(async (id, i) => {
        const use = () => m.api.post(`/v1/redemptions/${id}/use`, { orderId: `o-${i}` });
        const cancel = () => m.api.post(`/v1/redemptions/${id}/cancel`);
        const [u, c] =
          i % 2 ? await Promise.all([use(), cancel()]) : (await Promise.all([cancel(), use()])).reverse();
        return { u: u!, c: c! };
      }),
    );
    let cancelled = 0;
    for (const { u, c } of outcomes) {
      expect([u.status, c.status].sort()).toEqual([200, 409]);
      const loser = u.status === 409 ? u : c;
      expect(expectProblem(loser, 409, 'invalid-state').currentStatus).toBe(
        u.status === 200 ? 'used' : 'cancelled',
      );
      if (c.status === 200) cancelled++;
    }
    const final = await allRedemptions(m);
    expect(final.filter((r) => r.status === 'cancelled')).toHaveLength(cancelled);
    expect(final.filter((r) => r.status === 'used')).toHaveLength(10 - cancelled);
    expect(await points(m, 'shopper')).toMatchObject({ available: cancelled * 10 });
    await expectConsistent(m);
  });

  it('a reward with stock 5 and 20 concurrent customers is redeemed exactly 5 times', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 5 });
    const customers = Array.from({ length: 20 }, (_, i) => `c-${i}`);
    for (const c of customers) await fund(m, c, 100);
    const results = await Promise.all(
      customers.map((c) => m.api.post('/v1/redemptions', { customerId: c, rewardId: reward })),
    );
    expect(count(results, 201)).toBe(5);
    for (const r of results.filter((x) => x.status !== 201)) expectProblem(r, 409, 'out-of-stock');
    expect((await m.api.get(`/v1/rewards/${reward}`)).body.stock).toBe(0);
    const spent = await Promise.all(customers.map(async (c) => (await points(m, c)).available));
    expect(spent.filter((p) => p === 0)).toHaveLength(5);
    expect(spent.filter((p) => p === 100)).toHaveLength(15);
    await expectConsistent(m);
  });

  it('20 concurrent redemptions of a pool of 8 codes hand out each code once', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m);
    const pool = Array.from({ length: 8 }, (_, i) => `POOL-${i}`);
    await m.api.post(`/v1/rewards/${reward}/codes`, { codes: pool });
    const customers = Array.from({ length: 20 }, (_, i) => `p-${i}`);
    for (const c of customers) await fund(m, c, 100);
    const results = await Promise.all(
      customers.map((c) => m.api.post('/v1/redemptions', { customerId: c, rewardId: reward })),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok.map((r) => r.body.couponCode).sort()).toEqual(pool);
    for (const r of results.filter((x) => x.status !== 201)) expectProblem(r, 409, 'out-of-stock');
    await expectConsistent(m);
  });

  it('expired holds raced by several jobs runs and releases each resolve exactly once', async () => {
    const m = await createMerchant(t);
    const reward = await createReward(m, { stock: 10 });
    await fund(m, 'holder', 1_000);
    const holds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await m.api.post('/v1/redemptions', {
        customerId: 'holder',
        rewardId: reward,
        mode: 'reserve',
        ttlSeconds: 1,
      });
      holds.push(res.body.id);
    }
    expect(await points(m, 'holder')).toMatchObject({ available: 0, reserved: 1_000 });
    clock.advance(2_000);
    const results = await Promise.all([
      ...holds.map((id) => m.api.post(`/v1/redemptions/${id}/release`)),
      m.api.post('/v1/jobs/run'),
      m.api.post('/v1/jobs/run'),
      m.api.post('/v1/jobs/run'),
    ]);
    const releases = results.slice(0, 10);
    const runs = results.slice(10);
    for (const r of releases) {
      if (r.status !== 200) expect(expectProblem(r, 409, 'invalid-state').currentStatus).toBe('expired');
    }
    // Jobs skip a customer another transaction holds; a last run sweeps what they skipped.
    const sweep = await m.api.post('/v1/jobs/run');
    const expired = runs.reduce((s, r) => s + r.body.expiredReservations, 0) + sweep.body.expiredReservations;
    expect(expired + count(releases, 200)).toBe(10);
    const final = await allRedemptions(m);
    expect(final.every((r) => r.status === 'released' || r.status === 'expired')).toBe(true);
    expect(await points(m, 'holder')).toMatchObject({ available: 1_000, reserved: 0, lifetimeRedeemed: 0 });
    expect((await m.api.get(`/v1/rewards/${reward}`)).body.stock).toBe(10);
    await expectConsistent(m);
  });
});

const customerIds = ['ana', 'ben'] as const;
const op = fc.oneof(
  fc.record({
    kind: fc.constant('redeem' as const),
    customer: fc.constantFrom(...customerIds),
    reward: fc.nat({ max: 1 }),
    mode: fc.constantFrom('issue' as const, 'reserve' as const),
    ttl: fc.integer({ min: 1, max: 120 }),
  }),
  fc.record({
    kind: fc.constantFrom('commit' as const, 'release' as const, 'cancel' as const, 'use' as const),
    target: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('earn' as const),
    customer: fc.constantFrom(...customerIds),
    points: fc.integer({ min: 1, max: 150 }),
  }),
  fc.record({ kind: fc.constant('time' as const), seconds: fc.integer({ min: 1, max: 90 }) }),
);

describe('ledger and redemption invariants under random operations', () => {
  it('hold after any mix of redeem, reserve, commit, release, cancel, use and expiry, run in concurrent batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 3, maxLength: 8 }),
        async (batches) => {
          const m = await createMerchant(t);
          const rewards = [
            await createReward(m, { costPoints: 40 }),
            await createReward(m, { costPoints: 70, stock: 3 }),
          ];
          const funded: Record<string, number> = {};
          for (const c of customerIds) {
            await fund(m, c, 200);
            funded[c] = 200;
          }
          const ids: string[] = [];
          for (const [b, batch] of batches.entries()) {
            const results = await Promise.all(
              batch.map(async (o, i) => {
                if (o.kind === 'redeem') {
                  const body = {
                    customerId: o.customer,
                    rewardId: rewards[o.reward],
                    mode: o.mode,
                    ...(o.mode === 'reserve' && { ttlSeconds: o.ttl }),
                  };
                  const res = await m.api.post('/v1/redemptions', body);
                  if (res.status === 201) ids.push(res.body.id);
                  return { o, res, ok: [201, 409] };
                }
                if (o.kind === 'earn') {
                  const res = await m.api.post(`/v1/customers/${o.customer}/adjustments`, {
                    points: o.points,
                    reason: 'earn',
                  });
                  if (res.status === 201) funded[o.customer] = funded[o.customer]! + o.points;
                  return { o, res, ok: [201] };
                }
                if (o.kind === 'time') {
                  clock.advance(o.seconds * 1_000);
                  return { o, res: await m.api.post('/v1/jobs/run'), ok: [200] };
                }
                if (ids.length === 0) return null;
                const id = ids[o.target % ids.length];
                const body = o.kind === 'use' ? { orderId: `o-${b}-${i}` } : undefined;
                return { o, res: await m.api.post(`/v1/redemptions/${id}/${o.kind}`, body), ok: [200, 409] };
              }),
            );
            for (const r of results) {
              if (r && !r.ok.includes(r.res.status)) {
                throw new Error(
                  `batch ${b}: ${JSON.stringify(r.o)} → ${r.res.status} ${JSON.stringify(r.res.body)}`,
                );
              }
            }
            const violations = [
              ...(await ledgerViolations(t.db, m.id)),
              ...(await redemptionViolations(t.db, m.id)),
            ];
            if (violations.length)
              throw new Error(`after batch ${b} ${JSON.stringify(batch)}: ${JSON.stringify(violations)}`);
          }
          // The balances follow from the redemptions' final states alone.
          const final = await allRedemptions(m);
          for (const c of customerIds) {
            const mine = final.filter((r) => r.customerId === c);
            const held = mine.filter((r) => r.status === 'reserved').reduce((s, r) => s + r.pointsSpent, 0);
            const spent = mine
              .filter((r) => ['issued', 'used'].includes(r.status))
              .reduce((s, r) => s + r.pointsSpent, 0);
            expect(await points(m, c)).toMatchObject({
              available: funded[c]! - held - spent,
              reserved: held,
              lifetimeRedeemed: held + spent,
            });
          }
          const stock = (await m.api.get(`/v1/rewards/${rewards[1]}`)).body.stock;
          const live = final.filter(
            (r) => r.rewardId === rewards[1] && ['reserved', 'issued', 'used'].includes(r.status),
          );
          expect(stock).toBe(3 - live.length);
        },
      ),
      { numRuns: usingPostgres() ? 25 : 15 },
    );
  }, 300_000);
});
