import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntries, referralCodes } from '../db/schema';
import { runJobs } from '../src/modules/jobs/run-jobs';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { usingPostgres } from './helpers/database';
import { ledgerViolations } from './helpers/invariants';

// Against real Postgres these requests run concurrently on a pool of connections; on PGlite
// they are serialised by the single connection, and the outcome must be the same.
let t: TestApp;
const clock = new TestClock(new Date('2026-03-10T12:00:00.000Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(clock.now().getTime() - n * DAY).toISOString();

async function shop(): Promise<TestMerchant> {
  const m = await createMerchant(t);
  const res = await m.api.put('/v1/referral-program', {
    active: true,
    referrerReward: { points: 500 },
    refereeReward: { points: 200 },
    minOrderTotal: 1_000,
    holdDays: 14,
    attributionWindowDays: 30,
    linkTemplate: 'https://shop.example/r/{code}',
  });
  expect(res.status).toBe(200);
  return m;
}

describe(`concurrent referrals (${usingPostgres() ? 'Postgres' : 'PGlite'})`, () => {
  it('30 concurrent attributions of one referee with different codes leave exactly one live referral', async () => {
    const m = await shop();
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      codes.push((await m.api.post(`/v1/customers/referrer-${i}/referral-code`, {})).body.code);
    }
    const results = await Promise.all(
      codes.map((code) => m.api.post('/v1/referrals', { code, refereeId: 'popular' })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const live = results.filter((r) => r.body.status !== 'rejected');
    expect(live).toHaveLength(1);
    expect(live[0]!.body.status).toBe('pending');
    const rejected = results.filter((r) => r.body.status === 'rejected');
    expect(rejected.every((r) => r.body.reason === 'already_referred')).toBe(true);
    const customer = await m.api.get('/v1/customers/popular');
    expect(customer.body.referredBy).toBe(live[0]!.body.referrerId);
    const stored = await m.api.get('/v1/referrals?refereeId=popular&limit=100');
    expect(stored.body.data.filter((r: { status: string }) => r.status !== 'rejected')).toHaveLength(1);
    expect(stored.body.data).toHaveLength(30);
  });

  it('30 concurrent code requests for one customer create one code', async () => {
    const m = await shop();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => m.api.post('/v1/customers/newcomer/referral-code', {})),
    );
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.code)).size).toBe(1);
    const rows = await t.db
      .select()
      .from(referralCodes)
      .where(and(eq(referralCodes.merchantId, m.id), eq(referralCodes.customerId, 'newcomer')));
    expect(rows).toHaveLength(1);
    expect((await m.api.get('/v1/customers/newcomer')).body.referralCode).toBe(rows[0]!.code);
  });

  it('30 concurrent requests for one vanity code by different customers: one wins, the rest 409', async () => {
    const m = await shop();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        m.api.post(`/v1/customers/v-${i}/referral-code`, { code: 'WANTED' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(29);
  });

  it('concurrent jobs runs reward each due referral once', async () => {
    const m = await shop();
    const code = (await m.api.post('/v1/customers/ann/referral-code', {})).body.code;
    const referees = Array.from({ length: 10 }, (_, i) => `ref-${i}`);
    for (const [i, referee] of referees.entries()) {
      expect((await m.api.post('/v1/referrals', { code, refereeId: referee })).body.status).toBe('pending');
      const order = await m.api.post('/v1/orders', {
        id: `o-${i}`,
        customerId: referee,
        total: 2_000,
        currency: 'EUR',
        paidAt: daysAgo(20),
      });
      expect(order.body.referral.status).toBe('qualified');
    }
    const runners = usingPostgres() ? 4 : 2;
    const counts = await Promise.all(
      Array.from({ length: runners }, () =>
        runJobs({ db: t.db, clock, logger: t.deps.logger, merchantId: m.id }),
      ),
    );
    let rewarded = counts.reduce((s, c) => s + c.referralsRewarded!, 0);
    // A runner that found a customer busy leaves the referral for the next run.
    rewarded += (await runJobs({ db: t.db, clock, logger: t.deps.logger, merchantId: m.id }))
      .referralsRewarded!;
    expect(rewarded).toBe(10);
    const credits = await t.db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.merchantId, m.id), eq(ledgerEntries.kind, 'referral')));
    expect(credits).toHaveLength(20);
    expect((await m.api.get('/v1/customers/ann')).body.points.available).toBe(5_000);
    const list = await m.api.get('/v1/referrals?status=rewarded&limit=100');
    expect(list.body.data).toHaveLength(10);
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });

  it('a refund racing the reward job never leaves a reward for a reversed referral', async () => {
    const m = await shop();
    const code = (await m.api.post('/v1/customers/ann/referral-code', {})).body.code;
    const referees = Array.from({ length: 8 }, (_, i) => `r-${i}`);
    for (const [i, referee] of referees.entries()) {
      await m.api.post('/v1/referrals', { code, refereeId: referee });
      await m.api.post('/v1/orders', {
        id: `o-${i}`,
        customerId: referee,
        total: 2_000,
        currency: 'EUR',
        paidAt: daysAgo(20),
      });
    }
    await Promise.all([
      runJobs({ db: t.db, clock, logger: t.deps.logger, merchantId: m.id }),
      ...referees.map((_, i) => m.api.post(`/v1/orders/o-${i}/refunds`, { id: `rf-${i}` })),
    ]);
    await runJobs({ db: t.db, clock, logger: t.deps.logger, merchantId: m.id });
    const all = (await m.api.get('/v1/referrals?limit=100')).body.data as { status: string }[];
    expect(all.every((r) => r.status === 'reversed')).toBe(true);
    expect((await m.api.get('/v1/customers/ann')).body.points).toMatchObject({
      available: 0,
      lifetimeEarned: 0,
    });
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });
});
