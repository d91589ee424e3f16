import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { DashboardClient, decode, figure } from './helpers/dashboard';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

const int = (n: number) => new Intl.NumberFormat('en-US').format(n);
const one = (n: number | null) => (n == null ? '—' : n.toFixed(1));
const pct = (r: number | null) => (r == null ? '—' : `${(r * 100).toFixed(1)} %`);
const two = (n: number | null) => (n == null ? '—' : n.toFixed(2));
const eur = (minor: number | null) =>
  minor == null
    ? '—'
    : new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(minor / 100);

async function ok(res: Promise<{ status: number; body: unknown }>) {
  const r = await res;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body as any;
}

const nps = (m: TestMerchant, id: string, customerId: string, score: number, at: string, comment?: string) =>
  ok(
    m.api.post('/v1/survey-responses', {
      id,
      customerId,
      kind: 'nps',
      score,
      respondedAt: at,
      ...(comment && { comment }),
    }),
  );

/**
 * Two promoters (one refers twice), a passive with a comment, three detractors (two with a comment),
 * CSAT answers and a review, in the first quarter of 2025.
 */
async function smallShop(): Promise<TestMerchant> {
  const m = await createMerchant(t, { currency: 'EUR', timezone: 'UTC' });
  await ok(
    m.api.put('/v1/referral-program', {
      active: true,
      referrerReward: { points: 500 },
      refereeReward: { points: 250 },
      minOrderTotal: 1_000,
      holdDays: 14,
      attributionWindowDays: 30,
      linkTemplate: 'https://shop.example/?ref={code}',
    }),
  );
  for (const id of ['p1', 'p2', 'n1', 'd1', 'd2', 'd3']) {
    await ok(m.api.put(`/v1/customers/${id}`, { name: `Customer ${id.toUpperCase()}` }));
  }
  await nps(m, 's-p1', 'p1', 10, '2025-01-05T10:00:00Z');
  await nps(m, 's-p2', 'p2', 9, '2025-02-02T10:00:00Z');
  await nps(m, 's-n1', 'n1', 7, '2025-02-10T10:00:00Z', 'Fine, nothing special');
  await nps(m, 's-d1', 'd1', 3, '2025-01-15T09:00:00Z', 'Parcel arrived broken');
  await nps(m, 's-d2', 'd2', 5, '2025-02-20T16:30:00Z', 'Support never answered');
  await nps(m, 's-d3', 'd3', 2, '2025-03-01T08:00:00Z');
  for (const [id, customerId, score, at] of [
    ['c1', 'p1', 5, '2025-01-06T10:00:00Z'],
    ['c2', 'd1', 2, '2025-01-16T10:00:00Z'],
    ['c3', 'n1', 4, '2025-02-11T10:00:00Z'],
  ] as const) {
    await ok(m.api.post('/v1/survey-responses', { id, customerId, kind: 'csat', score, respondedAt: at }));
  }
  await ok(
    m.api.post('/v1/reviews', { id: 'rv1', customerId: 'p2', rating: 5, createdAt: '2025-02-03T10:00:00Z' }),
  );
  const { code } = await ok(m.api.post('/v1/customers/p1/referral-code', {}));
  for (const [i, referee] of ['r1', 'r2'].entries()) {
    await ok(
      m.api.post('/v1/orders', {
        id: `o-${referee}`,
        customerId: referee,
        total: 4_000 + i * 1_000,
        currency: 'EUR',
        paidAt: `2025-02-1${i}T12:00:00Z`,
        referralCode: code,
      }),
    );
  }
  await ok(
    m.api.post('/v1/orders', {
      id: 'o-p2',
      customerId: 'p2',
      total: 2_500,
      currency: 'EUR',
      paidAt: '2025-01-20T12:00:00Z',
    }),
  );
  return m;
}

describe('satisfaction page', () => {
  let m: TestMerchant;
  let client: DashboardClient;
  beforeAll(async () => {
    m = await smallShop();
    client = await DashboardClient.signedIn(t, m.secretKey);
  });

  it.each([
    ['all time', ''],
    ['a period by week', '?from=2025-01-01&to=2025-03-31&interval=week'],
  ])('shows the figures of GET /v1/insights/satisfaction for %s', async (_label, qs) => {
    const page = await client.get(`/dashboard/satisfaction${qs}`);
    const api = await ok(m.api.get(`/v1/insights/satisfaction${qs}`));
    expect(page.status).toBe(200);
    expect(api.nps.respondents).toBe(6);
    expect(figure(page.html, 'nps-score')).toBe(one(api.nps.score));
    expect(figure(page.html, 'nps-score')).toBe('-16.7'); // (2 − 3) / 6 respondents
    expect(figure(page.html, 'nps-margin')).toBe(`± ${one(api.nps.marginOfError)}`);
    expect(figure(page.html, 'nps-respondents')).toBe(int(api.nps.respondents));
    expect(figure(page.html, 'nps-promoters')).toBe(int(api.nps.promoters));
    expect(figure(page.html, 'nps-passives')).toBe(int(api.nps.passives));
    expect(figure(page.html, 'nps-detractors')).toBe(int(api.nps.detractors));
    expect(figure(page.html, 'nps-responses')).toBe(int(api.nps.responses));
    expect(figure(page.html, 'csat-score')).toBe(`${one(api.csat.score)} %`);
    expect(figure(page.html, 'csat-responses')).toBe(int(api.csat.responses));
    expect(api.csat.responses).toBe(4); // three answers and the review
    // One chart per trend, each a titled image, and a row per bucket in the data table.
    expect(page.html).toContain('NPS by ');
    expect(page.html.match(/role="img"/g)).toHaveLength(2);
    for (const bucket of api.series) expect(page.html).toContain(`<th scope="row">${bucket.period}</th>`);
  });

  it('lists the commented detractor answers newest first, linked to the customer', async () => {
    const page = await client.get('/dashboard/satisfaction');
    const ids = [...page.html.matchAll(/data-response="([^"]+)"/g)].map((x) => x[1]);
    expect(ids).toEqual(['s-d2', 's-d1']); // not the passive's comment, not the detractor without one
    expect(page.html).toContain('Support never answered');
    expect(page.html).toContain('Parcel arrived broken');
    expect(page.html).not.toContain('Fine, nothing special');
    expect(page.html).toContain('href="/dashboard/customers/d2">Customer D2</a>');
    expect(page.html).toContain('5 / 10');
  });

  it('keeps the detractor list inside the period', async () => {
    const page = await client.get('/dashboard/satisfaction?to=2025-01-31');
    expect(page.status).toBe(200);
    const ids = [...page.html.matchAll(/data-response="([^"]+)"/g)].map((x) => x[1]);
    expect(ids).toEqual(['s-d1']);
  });

  it("shows nothing of another merchant's answers, even for a customer with the same id", async () => {
    const other = await createMerchant(t);
    await nps(other, 's-x', 'd1', 0, '2025-03-30T10:00:00Z', 'Secret complaint of another shop');
    const page = await client.get('/dashboard/satisfaction');
    expect(page.html).not.toContain('Secret complaint of another shop');
    expect(page.html).not.toContain('s-x');
    expect(figure(page.html, 'nps-respondents')).toBe('6');
  });

  it.each([
    ['from', 'from=2025-02-30', /From must be an ISO 8601 date/],
    ['to', 'to=yesterday', /To must be an ISO 8601 date/],
    ['to', 'from=2025-03-01&to=2025-01-01', /To must not be before/],
    ['interval', 'interval=year', /Interval /],
  ])('answers 422 with the error at the %s field and the input kept (%s)', async (name, qs, message) => {
    const page = await client.get(`/dashboard/satisfaction?${qs}`);
    expect(page.status).toBe(422);
    const input = new RegExp(`<(input|select) id="period-${name}"[^>]*>`).exec(page.html)![0];
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain(`aria-describedby="period-${name}-error"`);
    const error = new RegExp(`id="period-${name}-error">([^<]*)<`).exec(page.html)![1]!;
    expect(decode(error)).toMatch(message);
    if (name !== 'interval') {
      const typed = new URLSearchParams(qs).get(name)!;
      expect(input).toContain(`value="${typed}"`);
    }
    expect(figure(page.html, 'nps-score')).toBeNull();
  });

  it('is only for a signed-in marketer', async () => {
    const page = await new DashboardClient(t).get('/dashboard/satisfaction');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/dashboard/sign-in');
  });
});

describe('referrals × satisfaction page', () => {
  let m: TestMerchant;
  let client: DashboardClient;
  beforeAll(async () => {
    m = await smallShop();
    client = await DashboardClient.signedIn(t, m.secretKey);
  });

  it.each([
    ['all time', ''],
    ['a period', '?from=2025-01-01&to=2099-12-31'],
  ])('shows the figures of GET /v1/insights/referrals-satisfaction for %s', async (_label, qs) => {
    const page = await client.get(`/dashboard/referrals${qs}`);
    const api = await ok(m.api.get(`/v1/insights/referrals-satisfaction${qs}`));
    const program = await ok(m.api.get(`/v1/insights/program${qs}`));
    expect(page.status).toBe(200);
    const promoters = api.segments.find((s: { segment: string }) => s.segment === 'promoter');
    expect(promoters.referrers).toBe(1); // p1 referred r1 and r2
    expect(promoters.referrals).toBe(2);

    expect(figure(page.html, 'promoter-lift')).toBe(
      api.promoterLift == null ? '—' : `${two(api.promoterLift)}×`,
    );
    expect(figure(page.html, 'spearman-rho')).toBe(two(api.spearman.rho));
    expect(figure(page.html, 'spearman-ci')).toBe(
      `${two(api.spearman.ciLow)} to ${two(api.spearman.ciHigh)}`,
    );
    expect(figure(page.html, 'spearman-n')).toBe(int(api.spearman.n));
    for (const s of api.segments) {
      expect(figure(page.html, `customers-${s.segment}`)).toBe(int(s.customers));
      expect(figure(page.html, `referrers-${s.segment}`)).toBe(int(s.referrers));
      expect(figure(page.html, `rate-${s.segment}`)).toBe(pct(s.referralRate));
      expect(figure(page.html, `referrals-${s.segment}`)).toBe(int(s.referrals));
      expect(figure(page.html, `per-customer-${s.segment}`)).toBe(
        s.referralsPerCustomer == null ? '—' : s.referralsPerCustomer.toFixed(3),
      );
      expect(figure(page.html, `qualified-${s.segment}`)).toBe(int(s.qualifiedReferrals));
      expect(figure(page.html, `revenue-${s.segment}`)).toBe(eur(s.revenue));
      // The bar carries its value as text.
      expect(page.html).toContain(`class="value"`);
      expect(page.html).toContain(`>${pct(s.referralRate)}</text>`);
    }
    for (const group of ['referred', 'organic'] as const) {
      const c = api.referredVsOrganic[group];
      expect(figure(page.html, `${group}-customers`)).toBe(int(c.customers));
      expect(figure(page.html, `${group}-avg-nps`)).toBe(two(c.avgNps));
      expect(figure(page.html, `${group}-repeat`)).toBe(pct(c.repeatPurchaseRate));
      expect(figure(page.html, `${group}-retention`)).toBe(pct(c.retention90d));
      expect(figure(page.html, `${group}-aov`)).toBe(eur(c.averageOrderValue));
    }
    const f = program.funnel;
    expect(page.html).toContain(
      `Codes ${f.codes}, shares ${f.shares}, clicks ${f.clicks}, attributed ${f.attributed}, qualified ${f.qualified}, rewarded ${f.rewarded}.`,
    );
    expect(f.attributed).toBe(2);
  });

  it('answers 422 with the error at the field for an invalid date, keeping the input', async () => {
    const page = await client.get('/dashboard/referrals?from=2025-13-01');
    expect(page.status).toBe(422);
    expect(page.html).toMatch(/<input id="period-from"[^>]*aria-invalid="true"/);
    expect(page.html).toMatch(/<input id="period-from"[^>]*value="2025-13-01"/);
    expect(page.html).toContain('id="period-from-error"');
    expect(page.html).not.toContain('id="period-interval"'); // this report has no series
    expect(figure(page.html, 'promoter-lift')).toBeNull();
  });

  it("counts nothing of another merchant's customers", async () => {
    const other = await smallShop();
    const page = await client.get('/dashboard/referrals');
    const api = await ok(m.api.get('/v1/insights/referrals-satisfaction'));
    expect(api.segments.reduce((n: number, s: { customers: number }) => n + s.customers, 0)).toBe(8);
    expect(figure(page.html, 'customers-promoter')).toBe('2');
    expect(other.id).not.toBe(m.id);
  });
});
