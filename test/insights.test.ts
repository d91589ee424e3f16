import { beforeAll, describe, expect, it } from 'vitest';
import { referralClicks, referralCodes, referrals } from '../db/schema';
import { spearman } from '../src/modules/insights/stats';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

let t: TestApp;
const clock = new TestClock(new Date('2025-06-15T12:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);

async function ok(res: Promise<{ status: number; body: any }>, status = 201) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const answer = (
  m: TestMerchant,
  id: string,
  customerId: string,
  kind: string,
  score: number,
  respondedAt: string,
) => ok(m.api.post('/v1/survey-responses', { id, customerId, kind, score, respondedAt }));

const review = (m: TestMerchant, id: string, customerId: string, rating: number, createdAt: string) =>
  ok(m.api.post('/v1/reviews', { id, customerId, rating, createdAt }));

const order = (m: TestMerchant, id: string, customerId: string, total: number, paidAt: string) =>
  ok(m.api.post('/v1/orders', { id, customerId, total, currency: 'EUR', paidAt }));

const emptyNps = {
  score: null,
  promoters: 0,
  passives: 0,
  detractors: 0,
  respondents: 0,
  responses: 0,
  marginOfError: null,
};
const emptyCsat = { score: null, responses: 0, satisfied: 0, surveys: 0, reviews: 0 };

describe('GET /v1/insights/satisfaction', () => {
  /**
   * A Paris shop. Latest NPS per customer over all time: h 6, d 0, a 5 (a said 10 earlier), b 9, c 7, e 10,
   * g 8 (said 3 earlier in May), f 9 → 3 promoters, 2 passives, 3 detractors of 8; 10 answers.
   * d answered 2025-02-28 23:30 UTC and f 2025-05-31 23:30 UTC: in Paris, March 1st and June 1st.
   * CSAT signals: answers a 5, b 4, c 2; reviews d 3, e 5 → 3 of 5 satisfied.
   */
  async function parisShop() {
    const m = await createMerchant(t, { timezone: 'Europe/Paris' });
    await answer(m, 'n-h', 'h', 'nps', 6, '2025-01-15T10:00:00Z');
    await answer(m, 'n-d', 'd', 'nps', 0, '2025-02-28T23:30:00Z');
    await answer(m, 'n-a1', 'a', 'nps', 10, '2025-03-10T10:00:00Z');
    await answer(m, 'n-a2', 'a', 'nps', 5, '2025-04-05T10:00:00Z');
    await answer(m, 'n-b', 'b', 'nps', 9, '2025-04-10T10:00:00Z');
    await answer(m, 'n-c', 'c', 'nps', 7, '2025-04-20T10:00:00Z');
    await answer(m, 'n-e', 'e', 'nps', 10, '2025-05-01T10:00:00Z');
    await answer(m, 'n-g2', 'g', 'nps', 8, '2025-05-20T10:00:00Z');
    await answer(m, 'n-g1', 'g', 'nps', 3, '2025-05-10T10:00:00Z');
    await answer(m, 'n-f', 'f', 'nps', 9, '2025-05-31T23:30:00Z');
    await answer(m, 'c-a', 'a', 'csat', 5, '2025-03-10T10:00:00Z');
    await answer(m, 'c-b', 'b', 'csat', 4, '2025-04-10T10:00:00Z');
    await answer(m, 'c-c', 'c', 'csat', 2, '2025-04-20T10:00:00Z');
    await review(m, 'r-d', 'd', 3, '2025-04-15T10:00:00Z');
    await review(m, 'r-e', 'e', 5, '2025-05-02T10:00:00Z');
    return m;
  }

  it("counts each customer's latest NPS answer, every answer as a response, and reviews as CSAT signals", async () => {
    const m = await parisShop();
    const res = await m.api.get('/v1/insights/satisfaction?interval=month');
    expect(res.status).toBe(200);
    expect(res.body.from).toBeNull();
    expect(res.body.to).toBeNull();
    // p = d = 3/8: 1.96 × 100 × √((6/8 − 0) / 8) = 60.0125.
    expect(res.body.nps).toEqual({
      score: 0,
      promoters: 3,
      passives: 2,
      detractors: 3,
      respondents: 8,
      responses: 10,
      marginOfError: 60.01,
    });
    expect(res.body.csat).toEqual({ score: 60, responses: 5, satisfied: 3, surveys: 3, reviews: 2 });
  });

  it("buckets by local month in the merchant's time zone, latest answer per customer per bucket, gaps as nulls", async () => {
    const m = await parisShop();
    const { series } = (await m.api.get('/v1/insights/satisfaction?interval=month')).body;
    const nps = (
      score: number | null,
      p: number,
      pa: number,
      d: number,
      responses: number,
      moe: number | null,
    ) => ({
      score,
      promoters: p,
      passives: pa,
      detractors: d,
      respondents: p + pa + d,
      responses,
      marginOfError: moe,
    });
    expect(series).toEqual([
      // January: h 6 alone → −100, no variance.
      {
        period: '2025-01-01',
        start: '2024-12-31T23:00:00.000Z',
        nps: nps(-100, 0, 0, 1, 1, 0),
        csat: emptyCsat,
      },
      { period: '2025-02-01', start: '2025-01-31T23:00:00.000Z', nps: emptyNps, csat: emptyCsat },
      // March (d's answer of Feb 28 23:30 UTC is March 1st in Paris): d 0, a 10 → 0 ± 196·√(1/2).
      {
        period: '2025-03-01',
        start: '2025-02-28T23:00:00.000Z',
        nps: nps(0, 1, 0, 1, 2, 138.59),
        csat: { score: 100, responses: 1, satisfied: 1, surveys: 1, reviews: 0 },
      },
      // April (summer time from March 30th): a 5, b 9, c 7 → 0 ± 196·√((2/3)/3) = 92.395; CSAT b 4, c 2, review 3.
      {
        period: '2025-04-01',
        start: '2025-03-31T22:00:00.000Z',
        nps: nps(0, 1, 1, 1, 3, 92.4),
        csat: { score: 33.33, responses: 3, satisfied: 1, surveys: 2, reviews: 1 },
      },
      // May: e 10 and g's latest in May, 8 → 50 ± 196·√((.5 − .25)/2); CSAT: e's review 5.
      {
        period: '2025-05-01',
        start: '2025-04-30T22:00:00.000Z',
        nps: nps(50, 1, 1, 0, 3, 69.3),
        csat: { score: 100, responses: 1, satisfied: 1, surveys: 0, reviews: 1 },
      },
      // June in Paris: f 9.
      {
        period: '2025-06-01',
        start: '2025-05-31T22:00:00.000Z',
        nps: nps(100, 1, 0, 0, 1, 0),
        csat: emptyCsat,
      },
    ]);
  });

  it('limits NPS to the latest answer within [from, to]; a date is a whole local day', async () => {
    const m = await parisShop();
    const res = await m.api.get('/v1/insights/satisfaction?from=2025-04-01&to=2025-04-30&interval=week');
    expect(res.body.from).toBe('2025-03-31T22:00:00.000Z');
    expect(res.body.to).toBe('2025-04-30T21:59:59.999Z');
    // a's 10 of March is outside: a counts as 5.
    expect(res.body.nps).toEqual({
      score: 0,
      promoters: 1,
      passives: 1,
      detractors: 1,
      respondents: 3,
      responses: 3,
      marginOfError: 92.4,
    });
    expect(res.body.csat).toMatchObject({ score: 33.33, responses: 3 });
    // Weeks start on Monday: March 31st … April 28th.
    expect(res.body.series.map((s: { period: string }) => s.period)).toEqual([
      '2025-03-31',
      '2025-04-07',
      '2025-04-14',
      '2025-04-21',
      '2025-04-28',
    ]);
    expect(res.body.series.map((s: { nps: { responses: number } }) => s.nps.responses)).toEqual([
      1, 1, 1, 0, 0,
    ]);
  });

  it('breaks a tie of answer times by the greater id, in the period and in each bucket', async () => {
    const m = await createMerchant(t, { timezone: 'Europe/Paris' });
    // Written in the other order, so neither insertion order nor time decides: 'n-t2' is the latest.
    await answer(m, 'n-t2', 't', 'nps', 10, '2025-05-10T10:00:00Z');
    await answer(m, 'n-t1', 't', 'nps', 2, '2025-05-10T10:00:00Z');
    // u: a detractor in April, a passive in May; the period counts May's answer only.
    await answer(m, 'n-u1', 'u', 'nps', 4, '2025-04-10T10:00:00Z');
    await answer(m, 'n-u2', 'u', 'nps', 8, '2025-05-11T10:00:00Z');
    const res = (await m.api.get('/v1/insights/satisfaction?interval=month')).body;
    expect(res.nps).toMatchObject({ promoters: 1, passives: 1, detractors: 0, respondents: 2, responses: 4 });
    expect(res.series.map((s: any) => [s.period, s.nps.promoters, s.nps.passives, s.nps.detractors])).toEqual(
      [
        ['2025-04-01', 0, 0, 1],
        ['2025-05-01', 1, 1, 0],
      ],
    );
  });

  it('gives one bucket per local day, including days without answers', async () => {
    const m = await parisShop();
    const res = await m.api.get('/v1/insights/satisfaction?from=2025-04-05&to=2025-04-06&interval=day');
    expect(res.body.series).toEqual([
      {
        period: '2025-04-05',
        start: '2025-04-04T22:00:00.000Z',
        nps: { ...emptyNps, score: -100, detractors: 1, respondents: 1, responses: 1, marginOfError: 0 },
        csat: emptyCsat,
      },
      { period: '2025-04-06', start: '2025-04-05T22:00:00.000Z', nps: emptyNps, csat: emptyCsat },
    ]);
  });

  it('answers nulls, never NaN, for a period without answers', async () => {
    const m = await parisShop();
    const res = await m.api.get('/v1/insights/satisfaction?from=2024-01-01&to=2024-12-31T23:59:59%2B01:00');
    expect(res.status).toBe(200);
    expect(res.body.nps).toEqual(emptyNps);
    expect(res.body.csat).toEqual(emptyCsat);
    expect(res.body.series).toHaveLength(12);
    expect(res.body.series.every((s: any) => s.nps.score === null && s.csat.score === null)).toBe(true);
    const empty = await createMerchant(t);
    expect((await empty.api.get('/v1/insights/satisfaction')).body).toEqual({
      from: null,
      to: null,
      nps: emptyNps,
      csat: emptyCsat,
      series: [],
    });
  });

  it.each([
    ['from=2025-13-01', 'from'],
    ['from=yesterday', 'from'],
    ['to=2025-02-30', 'to'],
    ['to=2025-06-01T10:00:00', 'to'],
    ['interval=year', 'interval'],
    ['from=2025-06-01&to=2025-05-01', 'to'],
    ['from=2020-01-01&to=2025-01-01&interval=day', 'interval'],
  ])('refuses ?%s naming %s', async (qs, path) => {
    const m = await createMerchant(t);
    expect(paths(expectProblem(await m.api.get(`/v1/insights/satisfaction?${qs}`), 400))).toContain(path);
  });
});

/**
 * Referral rows are written straight into the table (the referral endpoints were built
 * concurrently), so each test sets every status and attribution time exactly. Each row is one
 * the referral engine could have written.
 */
async function referral(
  m: TestMerchant,
  id: string,
  referrerId: string,
  refereeId: string,
  status: 'pending' | 'qualified' | 'rewarded' | 'rejected' | 'reversed',
  attributedAt: string,
) {
  await t.db.insert(referrals).values({
    merchantId: m.id,
    id,
    code: `CODE-${referrerId}`,
    referrerId,
    refereeId,
    status,
    reason: status === 'rejected' ? 'self_referral' : null,
    attributedAt: new Date(attributedAt),
  });
}

describe('GET /v1/insights/referrals-satisfaction', () => {
  /**
   * Latest NPS: P1 10, P2 9 (said 3 on April 1st), P3 9, Pa1 8, Pa2 7, D1 2, D2 6, R4 7 (answered May 10th);
   * N1, N2 and the other referees never answered. Referrals (not rejected): P1→R1 rewarded, P1→R2
   * qualified, P2→R3 pending, D1→R4 rewarded, Pa1→R6 reversed; N1→R5 is rejected.
   */
  async function referralShop() {
    const m = await createMerchant(t);
    await ok(
      m.api.post('/v1/rules', { name: 'Ten', event: 'order.paid', reward: { type: 'fixed', points: 10 } }),
    );
    await answer(m, 'p1', 'P1', 'nps', 10, '2025-03-01T10:00:00Z');
    await answer(m, 'p2a', 'P2', 'nps', 3, '2025-04-01T10:00:00Z');
    await answer(m, 'p2b', 'P2', 'nps', 9, '2025-05-05T10:00:00Z');
    await answer(m, 'p3', 'P3', 'nps', 9, '2025-03-02T10:00:00Z');
    await answer(m, 'pa1', 'Pa1', 'nps', 8, '2025-03-03T10:00:00Z');
    await answer(m, 'pa2', 'Pa2', 'nps', 7, '2025-03-04T10:00:00Z');
    await answer(m, 'd1', 'D1', 'nps', 2, '2025-03-05T10:00:00Z');
    await answer(m, 'd2', 'D2', 'nps', 6, '2025-03-06T10:00:00Z');
    await answer(m, 'r4', 'R4', 'nps', 7, '2025-05-10T10:00:00Z');
    for (const id of ['N1', 'N2', 'R1', 'R2', 'R3', 'R5', 'R6']) {
      expect((await m.api.put(`/v1/customers/${id}`, {})).status).toBe(200);
    }
    await referral(m, 'ref_1', 'P1', 'R1', 'rewarded', '2025-05-01T10:00:00Z');
    await referral(m, 'ref_2', 'P1', 'R2', 'qualified', '2025-05-20T10:00:00Z');
    await referral(m, 'ref_3', 'P2', 'R3', 'pending', '2025-05-25T10:00:00Z');
    await referral(m, 'ref_4', 'D1', 'R4', 'rewarded', '2025-04-20T10:00:00Z');
    await referral(m, 'ref_5', 'N1', 'R5', 'rejected', '2025-05-02T10:00:00Z');
    await referral(m, 'ref_6', 'Pa1', 'R6', 'reversed', '2025-05-16T10:00:00Z');
    // Referees' orders: R1 10 000 + 5 000 (2 000 refunded), R2 3 000, R4 8 000, R6 4 000 (fully refunded).
    await order(m, 'o-r1a', 'R1', 10_000, '2025-05-10T10:00:00Z');
    await order(m, 'o-r1b', 'R1', 5_000, '2025-05-20T10:00:00Z');
    await ok(m.api.post('/v1/orders/o-r1b/refunds', { id: 'rf-1', amount: 2_000 }));
    await order(m, 'o-r2', 'R2', 3_000, '2025-05-21T10:00:00Z');
    await order(m, 'o-r4', 'R4', 8_000, '2025-04-25T10:00:00Z');
    await order(m, 'o-r6', 'R6', 4_000, '2025-05-17T10:00:00Z');
    await ok(m.api.post('/v1/orders/o-r6/refunds', { id: 'rf-2' }));
    // Organic orders: P1 twice within 90 days, D1 once, N2 once too recently for the 90-day cohort.
    await order(m, 'o-p1a', 'P1', 2_000, '2025-01-10T10:00:00Z');
    await order(m, 'o-p1b', 'P1', 2_000, '2025-02-20T10:00:00Z');
    await order(m, 'o-d1', 'D1', 6_000, '2025-02-01T10:00:00Z');
    await order(m, 'o-n2', 'N2', 1_000, '2025-06-01T10:00:00Z');
    return m;
  }

  it('reports every segment, the lift, Spearman with its interval, and referred vs organic customers', async () => {
    const m = await referralShop();
    const res = await m.api.get('/v1/insights/referrals-satisfaction');
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('EUR');
    expect(res.body.segments).toEqual([
      // P1, P2, P3: P1 made 2 (both qualified), P2 1; revenue R1 13 000 + R2 3 000.
      {
        segment: 'promoter',
        customers: 3,
        referrers: 2,
        referralRate: 0.6667,
        referrals: 3,
        referralsPerCustomer: 1,
        qualifiedReferrals: 2,
        revenue: 16_000,
      },
      // Pa1, Pa2, R4: Pa1's referral was reversed (counts, not qualified); R6 refunded everything.
      {
        segment: 'passive',
        customers: 3,
        referrers: 1,
        referralRate: 0.3333,
        referrals: 1,
        referralsPerCustomer: 0.3333,
        qualifiedReferrals: 0,
        revenue: 0,
      },
      {
        segment: 'detractor',
        customers: 2,
        referrers: 1,
        referralRate: 0.5,
        referrals: 1,
        referralsPerCustomer: 0.5,
        qualifiedReferrals: 1,
        revenue: 8_000,
      },
      // N1 (rejected referral only), N2, R1, R2, R3, R5, R6.
      {
        segment: 'none',
        customers: 7,
        referrers: 0,
        referralRate: 0,
        referrals: 0,
        referralsPerCustomer: 0,
        qualifiedReferrals: 0,
        revenue: 0,
      },
    ]);
    expect(res.body.promoterLift).toBe(1.3333); // (2/3) / (1/2)

    // Average ranks by hand: x = 10, 9, 9, 8, 7, 7, 2, 6 → 8, 6.5, 6.5, 5, 3.5, 3.5, 1, 2;
    // y = 2, 1, 0, 1, 0, 0, 1, 0 → 8, 6, 2.5, 6, 2.5, 2.5, 6, 2.5. Σdxdy = 15.75, Σdx² = 41, Σdy² = 35.
    const rho = 15.75 / Math.sqrt(41 * 35);
    expect(spearman([10, 9, 9, 8, 7, 7, 2, 6], [2, 1, 0, 1, 0, 0, 1, 0])).toBeCloseTo(rho, 12);
    // tanh(atanh(ρ) ± 1.96/√5)
    expect(res.body.spearman).toEqual({ rho: 0.4158, ciLow: -0.4086, ciHigh: 0.8666, n: 8 });

    expect(res.body.referredVsOrganic).toEqual({
      // R1 R2 R3 R4 R6. Orders 10 000, 5 000, 3 000, 8 000, 4 000: R1 bought twice of 4 buyers;
      // all first orders are later than 90 days before now, so no retention cohort.
      referred: {
        customers: 5,
        avgNps: 7,
        repeatPurchaseRate: 0.25,
        retention90d: null,
        averageOrderValue: 6_000,
      },
      // Scores 10 9 9 8 7 2 6 → 51/7; buyers P1 (twice), D1, N2; cohort P1 (retained), D1.
      organic: {
        customers: 10,
        avgNps: 7.29,
        repeatPurchaseRate: 0.3333,
        retention90d: 0.5,
        averageOrderValue: 2_750,
      },
    });
  });

  it("segments by the latest answer at or before `to` and counts only that period's referrals", async () => {
    const m = await referralShop();
    const res = await m.api.get('/v1/insights/referrals-satisfaction?to=2025-04-30');
    const seg = Object.fromEntries(res.body.segments.map((s: any) => [s.segment, s]));
    // P2 still a detractor (3); R4 had not answered; only D1→R4 was attributed by then.
    expect(seg.promoter).toMatchObject({ customers: 2, referrers: 0, referralRate: 0, referrals: 0 });
    expect(seg.passive).toMatchObject({ customers: 2, referrers: 0 });
    expect(seg.detractor).toEqual({
      segment: 'detractor',
      customers: 3,
      referrers: 1,
      referralRate: 0.3333,
      referrals: 1,
      referralsPerCustomer: 0.3333,
      qualifiedReferrals: 1,
      revenue: 8_000,
    });
    expect(seg.none.customers).toBe(8);
    expect(res.body.promoterLift).toBe(0);
    // x = 10, 3, 9, 8, 7, 2, 6; y = D1's one referral: ρ = −10.5 / √(28 × 10.5).
    expect(res.body.spearman).toEqual({ rho: -0.6124, ciLow: -0.9345, ciHigh: 0.2611, n: 7 });
    // Referred by then: R4 only, with no NPS yet at `to`.
    expect(res.body.referredVsOrganic.referred).toEqual({
      customers: 1,
      avgNps: null,
      repeatPurchaseRate: 1 - 1, // one order in the period (April 25th) → 0 of 1 bought twice
      retention90d: null,
      averageOrderValue: 8_000,
    });
  });

  it('has no lift when detractors did not refer, and no interval below four respondents', async () => {
    const m = await referralShop();
    const res = await m.api.get('/v1/insights/referrals-satisfaction?from=2025-05-15');
    const seg = Object.fromEntries(res.body.segments.map((s: any) => [s.segment, s]));
    // P1→R2, P2→R3, Pa1→R6.
    expect(seg.promoter).toMatchObject({ referrers: 2, referrals: 2, qualifiedReferrals: 1, revenue: 3_000 });
    expect(seg.detractor).toMatchObject({ referrers: 0, referralRate: 0 });
    expect(res.body.promoterLift).toBeNull();

    const small = await createMerchant(t);
    await answer(small, 'a', 'A', 'nps', 9, '2025-05-01T10:00:00Z');
    await answer(small, 'b', 'B', 'nps', 3, '2025-05-01T10:00:00Z');
    await answer(small, 'c', 'C', 'nps', 5, '2025-05-01T10:00:00Z');
    await referral(small, 'ref_a', 'A', 'X', 'pending', '2025-05-02T10:00:00Z');
    const r = (await small.api.get('/v1/insights/referrals-satisfaction')).body;
    expect(r.spearman).toEqual({ rho: 0.866, ciLow: null, ciHigh: null, n: 3 }); // √3/2
    const none = (await (await createMerchant(t)).api.get('/v1/insights/referrals-satisfaction')).body;
    expect(none.spearman).toEqual({ rho: null, ciLow: null, ciHigh: null, n: 0 });
    expect(none.promoterLift).toBeNull();
    expect(none.segments.every((s: any) => s.customers === 0 && s.referralRate === null)).toBe(true);
    expect(none.referredVsOrganic.organic).toEqual({
      customers: 0,
      avgNps: null,
      repeatPurchaseRate: null,
      retention90d: null,
      averageOrderValue: null,
    });
  });
});

describe('GET /v1/insights/program', () => {
  /**
   * 100 points per order of at least 10.00 (so the 5.00 orders of nm1 and nm2 earn nothing: non-members),
   * 14 pending days, expiry 30 days after earning, 100 points worth 0.50.
   * m1: o1 (April 1st, expired by the jobs run) and o2 (May 20th, fully refunded); m2: o3 (June 10th, pending);
   * m3: +75 adjustment; m4: o4 (June 1st) then redeems 40 (net of a cancelled redemption).
   */
  async function programShop() {
    const m = await createMerchant(t);
    await ok(
      m.api.patch('/v1/merchant', {
        pendingDays: 14,
        expiry: { mode: 'fixed', days: 30 },
        pointValue: { points: 100, amount: 50 },
      }),
      200,
    );
    await ok(
      m.api.post('/v1/rules', {
        name: 'Hundred',
        event: 'order.paid',
        condition: { '>=': [{ var: 'event.total' }, 1_000] },
        reward: { type: 'fixed', points: 100 },
      }),
    );
    await order(m, 'o1', 'm1', 5_000, '2025-04-01T10:00:00Z');
    await order(m, 'o2', 'm1', 5_000, '2025-05-20T10:00:00Z');
    await ok(m.api.post('/v1/orders/o2/refunds', { id: 'rf-o2' }));
    await order(m, 'o3', 'm2', 5_000, '2025-06-10T10:00:00Z');
    await order(m, 'o4', 'm4', 5_000, '2025-06-01T10:00:00Z');
    await order(m, 'n1', 'nm1', 500, '2025-05-05T10:00:00Z');
    await order(m, 'n2', 'nm1', 500, '2025-05-25T10:00:00Z');
    await order(m, 'n3', 'nm2', 500, '2025-06-05T10:00:00Z');
    await ok(m.api.put('/v1/customers/m3', {}), 200);
    await ok(m.api.post('/v1/customers/m3/adjustments', { points: 75, reason: 'goodwill' }));
    // m4 redeems a 40-point reward twice and cancels the second: 40 redeemed net.
    const reward = await ok(
      m.api.post('/v1/rewards', {
        name: '5 off',
        costPoints: 40,
        kind: 'discount_fixed',
        value: 500,
        currency: 'EUR',
        active: true,
      }),
    );
    await ok(m.api.post('/v1/redemptions', { customerId: 'm4', rewardId: reward.id }));
    const second = await ok(m.api.post('/v1/redemptions', { customerId: 'm4', rewardId: reward.id }));
    await ok(m.api.post(`/v1/redemptions/${second.id}/cancel`), 200);
    await ok(m.api.post('/v1/jobs/run'), 200);
    // Funnel rows: codes and clicks written directly (the referral endpoints are built concurrently).
    await t.db.insert(referralCodes).values([
      { merchantId: m.id, code: 'AAA', customerId: 'm1', createdAt: new Date('2025-05-01T10:00:00Z') },
      { merchantId: m.id, code: 'BBB', customerId: 'm4', createdAt: new Date('2025-06-02T10:00:00Z') },
    ]);
    await t.db.insert(referralClicks).values(
      ['2025-05-03', '2025-06-03', '2025-06-04', '2025-06-05', '2025-06-06'].map((d, i) => ({
        merchantId: m.id,
        id: `clk_${i}`,
        code: i % 2 ? 'AAA' : 'BBB',
        createdAt: new Date(`${d}T10:00:00Z`),
      })),
    );
    await ok(
      m.api.post('/v1/shares', {
        id: 's1',
        customerId: 'm1',
        channel: 'x',
        createdAt: '2025-05-02T10:00:00Z',
      }),
    );
    await ok(
      m.api.post('/v1/shares', {
        id: 's2',
        customerId: 'm4',
        channel: 'x',
        createdAt: '2025-06-03T10:00:00Z',
      }),
    );
    await ok(
      m.api.post('/v1/shares', {
        id: 's3',
        customerId: 'nm1',
        channel: 'x',
        createdAt: '2025-06-04T10:00:00Z',
      }),
    );
    await referral(m, 'ref_1', 'm1', 'r1', 'pending', '2025-06-05T10:00:00Z');
    await referral(m, 'ref_2', 'm1', 'r2', 'rejected', '2025-06-05T10:00:00Z');
    await referral(m, 'ref_3', 'm4', 'r3', 'rewarded', '2025-06-06T10:00:00Z');
    await referral(m, 'ref_4', 'm4', 'r4', 'qualified', '2025-05-10T10:00:00Z');
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
    return m;
  }

  it('reports liability, flows, rates, members, the funnel and the K-factor over all time', async () => {
    const m = await programShop();
    const res = await m.api.get('/v1/insights/program');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: null,
      to: null,
      // Available: m4 60 + m3 75; pending: m2 100. At 0.50 per 100 points: 67.5 → 68, 50, 117.5 → 118.
      liability: {
        points: { available: 135, pending: 100, total: 235, reserved: 0 },
        amount: { available: 68, pending: 50, total: 118, reserved: 0 },
        currency: 'EUR',
      },
      issued: 300, // 4 × 100 earned − 100 reversed
      reversed: 100,
      redeemed: 40,
      expired: 100,
      adjusted: 75,
      redemptionRate: 0.1333,
      breakage: 0.3333,
      activeMembers: 4,
      // Members m1 (twice), m2, m4; non-members nm1 (twice), nm2.
      repeatPurchaseRate: { members: 0.3333, nonMembers: 0.5 },
      funnel: { codes: 2, shares: 3, clicks: 5, attributed: 3, qualified: 2, rewarded: 1 },
      kFactor: 0.6, // 3 referrals / 5 customers who bought
    });
  });

  it('counts the flows whose time is in the period', async () => {
    const m = await programShop();
    const june = (await m.api.get('/v1/insights/program?from=2025-06-01&to=2025-06-30')).body;
    // o3, o4 earned 200; o2's refund, the redemption, the expiry and the adjustment happened on June 15th.
    expect(june).toMatchObject({
      issued: 100,
      reversed: 100,
      redeemed: 40,
      expired: 100,
      adjusted: 75,
      redemptionRate: 0.4,
      breakage: 1,
      activeMembers: 4,
      repeatPurchaseRate: { members: 0, nonMembers: 0 },
      funnel: { codes: 1, shares: 2, clicks: 4, attributed: 2, qualified: 1, rewarded: 1 },
      kFactor: 0.4,
    });
    const spring = (await m.api.get('/v1/insights/program?from=2025-04-01&to=2025-05-31')).body;
    expect(spring).toMatchObject({
      issued: 200,
      redeemed: 0,
      expired: 0,
      redemptionRate: 0,
      breakage: 0,
      activeMembers: 1,
      repeatPurchaseRate: { members: 1, nonMembers: 1 },
      kFactor: 0.5, // r4 over the two customers who had bought by May 31st, m1 and nm1
    });
  });

  it('answers zeros and nulls, never NaN, for an empty program', async () => {
    const m = await createMerchant(t);
    const res = await m.api.get('/v1/insights/program');
    expect(res.body).toMatchObject({
      liability: {
        points: { available: 0, pending: 0, total: 0 },
        amount: { available: 0, pending: 0, total: 0 },
      },
      issued: 0,
      redemptionRate: null,
      breakage: null,
      activeMembers: 0,
      repeatPurchaseRate: { members: null, nonMembers: null },
      kFactor: null,
    });
  });
});

describe('insights security', () => {
  it.each(['satisfaction', 'referrals-satisfaction', 'program'])(
    '%s needs an admin key: 401 without, 403 for server and publishable keys',
    async (report) => {
      const m = await createMerchant(t);
      const key = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
      expectProblem(await m.anon.get(`/v1/insights/${report}`), 401);
      expectProblem(await new Api(t.app, key.body.key).get(`/v1/insights/${report}`), 403);
      expectProblem(await m.api.as(m.publishableKey).get(`/v1/insights/${report}`), 403);
      expectProblem(await m.api.get(`/v1/insights/${report}?from=someday`), 400);
    },
  );

  it("never counts another merchant's data", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    await answer(a, 's-1', 'same', 'nps', 10, '2025-05-01T10:00:00Z');
    await order(a, 'o-1', 'same', 5_000, '2025-05-01T10:00:00Z');
    await referral(a, 'ref_x', 'same', 'other', 'rewarded', '2025-05-01T10:00:00Z');
    expect((await b.api.get('/v1/insights/satisfaction')).body.nps.respondents).toBe(0);
    const rs = (await b.api.get('/v1/insights/referrals-satisfaction')).body;
    expect(rs.segments.map((s: any) => s.customers)).toEqual([0, 0, 0, 0]);
    expect((await b.api.get('/v1/insights/program')).body.funnel.attributed).toBe(0);
    expect((await a.api.get('/v1/insights/program')).body.funnel.attributed).toBe(1);
  });
});
