import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { DashboardClient, decode, figure } from './helpers/dashboard';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

async function put(m: TestMerchant, id: string, body: Record<string, unknown>) {
  const res = await m.api.put(`/v1/customers/${id}`, body);
  expect(res.status).toBe(200);
}

/** Customer ids in the table of a customers page, in order. */
const listed = (html: string) => [...html.matchAll(/<tr data-customer="([^"]+)"/g)].map((m) => decode(m[1]!));
const entries = (html: string) => [...html.matchAll(/<tr data-entry="([^"]+)"/g)].map((m) => m[1]!);
const int = (n: number) => new Intl.NumberFormat('en-US').format(n);

async function shop() {
  const m = await createMerchant(t, { timezone: 'Europe/Paris' });
  await put(m, 'cust-ada', { email: 'Ada.Lovelace@Example.com', name: 'Ada Lovelace' });
  await put(m, 'cust-alan', { email: 'alan.turing@example.com', name: 'Alan Turing' });
  await put(m, 'cust-grace', { email: 'grace@navy.example', name: 'Grace Hopper' });
  await put(m, 'adam', { email: 'someone@example.org', name: 'Zed' });
  const client = await DashboardClient.signedIn(t, m.secretKey);
  return { m, client };
}

describe('dashboard customer search', () => {
  it.each([
    ['the start of an email, any case', 'ada.LOVE', ['cust-ada']],
    ['a whole email address', 'alan.turing@example.com', ['cust-alan']],
    ['the start of a name', 'grace h', ['cust-grace']],
    ['a prefix several names and emails share', 'a', ['cust-ada', 'cust-alan']],
    ['an exact id, listed first', 'cust-grace', ['cust-grace']],
  ])('finds customers by %s', async (_label, q, ids) => {
    const { client } = await shop();
    const page = await client.get(`/dashboard/customers?q=${encodeURIComponent(q)}`);
    expect(page.status).toBe(200);
    expect(listed(page.html)).toEqual(ids);
  });

  it('lists the exact id before prefix matches', async () => {
    const { m, client } = await shop();
    await put(m, 'Ada', { name: 'Somebody' });
    // 'adam' starts with "ada" but ids match whole: neither its name nor its email does.
    expect(listed((await client.get('/dashboard/customers?q=Ada')).html)).toEqual(['Ada', 'cust-ada']);
  });

  it('shows balance, tier and latest NPS in the table, and links each customer', async () => {
    const { m, client } = await shop();
    await m.api.put('/v1/tiers', [{ name: 'Bronze', threshold: 0, window: 'lifetime' }]);
    await m.api.post('/v1/customers/cust-ada/adjustments', { points: 120, reason: 'welcome' });
    await m.api.post('/v1/survey-responses', { id: 's1', customerId: 'cust-ada', kind: 'nps', score: 9 });
    const page = await client.get('/dashboard/customers?q=ada.lovelace');
    const row = /<tr data-customer="cust-ada">([\s\S]*?)<\/tr>/.exec(page.html)![1]!;
    const api = (await m.api.get('/v1/customers/cust-ada')).body;
    expect(row).toContain('href="/dashboard/customers/cust-ada"');
    expect(row).toContain('Ada Lovelace');
    expect(row).toContain(`<td class="num">${int(api.points.available)}</td>`);
    expect(row).toContain('<td>Bronze</td>');
    expect(row).toContain('<td class="num">9</td>');
  });

  it("never finds another merchant's customers, whatever is typed", async () => {
    const { client } = await shop();
    const other = await createMerchant(t);
    await put(other, 'cust-ada-other', { email: 'ada.byron@example.com', name: 'Ada Byron' });
    await put(other, 'their-only', { email: 'their@example.com', name: 'Theirs' });
    for (const q of ['ada', 'Ada Byron', 'ada.byron@example.com', 'their-only', 'their', 'cust-ada-other']) {
      const page = await client.get(`/dashboard/customers?q=${encodeURIComponent(q)}`);
      expect(listed(page.html), q).not.toContain('cust-ada-other');
      expect(listed(page.html), q).not.toContain('their-only');
    }
  });

  it('says so when nothing matches, and keeps the query in the field', async () => {
    const { client } = await shop();
    const page = await client.get('/dashboard/customers?q=nobody%20here');
    expect(page.status).toBe(200);
    expect(listed(page.html)).toEqual([]);
    expect(page.html).toContain('No customer matches “nobody here”');
    expect(page.html).toMatch(/id="customer-q"[^>]*value="nobody here"/);
  });

  it('lists customers in id order without a query', async () => {
    const { client } = await shop();
    const page = await client.get('/dashboard/customers');
    expect(listed(page.html)).toEqual(['adam', 'cust-ada', 'cust-alan', 'cust-grace']);
  });
});

describe('dashboard customer page', () => {
  it('shows the same balance, tier and NPS figures as GET /v1/customers/{id}', async () => {
    const { m, client } = await shop();
    expect((await m.api.patch('/v1/merchant', { pendingDays: 14 })).status).toBe(200);
    await m.api.put('/v1/tiers', [
      { name: 'Bronze', threshold: 0, window: 'lifetime' },
      { name: 'Gold', threshold: 1000, window: 'lifetime' },
    ]);
    await m.api.post('/v1/rules', {
      name: 'A point per euro',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
    });
    await m.api.post('/v1/orders', { id: 'o1', customerId: 'cust-ada', total: 12_345, currency: 'EUR' });
    await m.api.post('/v1/customers/cust-ada/adjustments', { points: 300, reason: 'goodwill' });
    const reward = (
      await m.api.post('/v1/rewards', { name: 'Ship free', kind: 'free_shipping', costPoints: 100 })
    ).body;
    const hold = await m.api.post('/v1/redemptions', {
      customerId: 'cust-ada',
      rewardId: reward.id,
      mode: 'reserve',
    });
    expect(hold.status).toBe(201);
    await m.api.post('/v1/survey-responses', { id: 's1', customerId: 'cust-ada', kind: 'nps', score: 4 });
    await m.api.post('/v1/reviews', { id: 'rv1', customerId: 'cust-ada', rating: 5, text: 'Lovely tea' });

    const api = (await m.api.get('/v1/customers/cust-ada')).body;
    expect(api.points.pending).toBeGreaterThan(0);
    expect(api.points.reserved).toBe(100);
    const page = await client.get('/dashboard/customers/cust-ada');
    expect(page.status).toBe(200);
    expect(figure(page.html, 'available')).toBe(int(api.points.available));
    expect(figure(page.html, 'pending')).toBe(int(api.points.pending));
    expect(figure(page.html, 'reserved')).toBe(int(api.points.reserved));
    expect(figure(page.html, 'lifetime-earned')).toBe(int(api.points.lifetimeEarned));
    expect(figure(page.html, 'debt')).toBe(int(api.points.debt));
    expect(figure(page.html, 'tier')).toBe(api.tier.name);
    expect(figure(page.html, 'points-to-next-tier')).toBe(int(api.nextTier.pointsNeeded));
    expect(figure(page.html, 'latest-nps')).toBe(String(api.latestNps));
    expect(page.html).toContain('Ada Lovelace');
    expect(page.html).toContain('Lovely tea');
    expect(page.html).toContain('5 of 5');
    expect(page.html).toMatch(/4 \/ 10<\/td>\s*<td>detractor/);
    expect(page.html).toMatch(/<progress id="tier-progress"[^>]*max="1000"/);
  });

  it('pages through the ledger newest first with an "Older entries" link', async () => {
    const { m, client } = await shop();
    for (let i = 1; i <= 30; i++) {
      const res = await m.api.post('/v1/customers/cust-alan/adjustments', { points: i, reason: `gift ${i}` });
      expect(res.status).toBe(201);
    }
    const all = (await m.api.get('/v1/customers/cust-alan/ledger?limit=100')).body.data.map(
      (e: { id: string }) => e.id,
    );
    expect(all).toHaveLength(30);

    const first = await client.get('/dashboard/customers/cust-alan');
    expect(entries(first.html)).toEqual(all.slice(0, 25));
    expect(first.html).toContain('gift 30');
    const older = /href="([^"]+)" rel="next">Older entries/.exec(first.html)![1]!;
    const second = await client.get(decode(older));
    expect(second.status).toBe(200);
    expect(entries(second.html)).toEqual(all.slice(25));
    expect(second.html).not.toContain('Older entries');
    expect(second.html).toContain('Newest entries');
  });

  it('shows the referrals a customer made and how a customer was referred', async () => {
    const { m, client } = await shop();
    await m.api.put('/v1/referral-program', {
      active: true,
      referrerReward: { points: 500 },
      refereeReward: { points: 250 },
      minOrderTotal: 0,
      holdDays: 14,
      attributionWindowDays: 30,
      linkTemplate: 'https://shop.example/?ref={code}',
    });
    const { code } = (await m.api.post('/v1/customers/cust-ada/referral-code', {})).body;
    const referral = (
      await m.api.post('/v1/referrals', { code, refereeId: 'newbie', refereeEmail: 'newbie@example.net' })
    ).body;
    expect(referral.status).toBe('pending');

    const referrer = await client.get('/dashboard/customers/cust-ada');
    expect(referrer.html).toContain(code);
    expect(referrer.html).toContain(referral.id);
    expect(referrer.html).toContain('href="/dashboard/customers/newbie"');

    const referee = await client.get('/dashboard/customers/newbie');
    expect(referee.status).toBe(200);
    expect(referee.html).toMatch(/Referred by <a href="\/dashboard\/customers\/cust-ada">cust-ada<\/a>/);
    expect(referee.html).toContain(referral.id);
  });

  it("answers 404 for another merchant's customer and for an unknown id", async () => {
    const { client } = await shop();
    const other = await createMerchant(t);
    await put(other, 'their-customer', { email: 'secret@example.com', name: 'Secret Person' });
    const theirs = await client.get('/dashboard/customers/their-customer');
    expect(theirs.status).toBe(404);
    expect(theirs.html).toContain('Not found');
    expect(theirs.html).not.toContain('Secret Person');
    expect((await client.get('/dashboard/customers/nobody')).status).toBe(404);
    // A ledger cursor this page never handed out is refused as a page that does not exist.
    expect((await client.get('/dashboard/customers/cust-ada?ledger=garbage')).status).toBe(404);
  });
});
