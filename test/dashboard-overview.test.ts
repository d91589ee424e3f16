import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { createMerchant } from './helpers/client';
import { DashboardClient, decode, figure } from './helpers/dashboard';

let t: TestApp;

beforeAll(async () => {
  // Mid-month, so every backdated order below falls in a known local month.
  t = await createTestApp({ clock: new TestClock(new Date('2026-06-15T12:00:00Z')) });
});

/** The rows of the table with this caption, as cell texts. */
function tableRows(html: string, caption: string): string[][] {
  const at = html.indexOf(`<caption>${caption}</caption>`);
  if (at < 0) throw new Error(`no table "${caption}"`);
  const body = html.slice(at, html.indexOf('</table>', at));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)]
    .slice(1)
    .map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => decode(c[1]!)));
}

describe('dashboard overview', () => {
  it('shows the program report and a monthly flow whose months add up to it', async () => {
    const m = await createMerchant(t, { timezone: 'Europe/Paris' });
    await m.api.post('/v1/rules', {
      name: '1 point per euro',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
    });
    const order = (id: string, customerId: string, total: number, paidAt: string) =>
      m.api.post('/v1/orders', { id, customerId, total, currency: 'EUR', paidAt });
    expect((await order('o1', 'ann', 12_000, '2026-03-10T10:00:00Z')).status).toBe(201);
    expect((await order('o2', 'ann', 5_000, '2026-04-02T10:00:00Z')).status).toBe(201);
    expect((await order('o3', 'bob', 30_000, '2026-04-20T10:00:00Z')).status).toBe(201);
    // 31 May 23:30 UTC is already June in Paris: the month is the merchant's.
    expect((await order('o4', 'bob', 8_000, '2026-05-31T23:30:00Z')).status).toBe(201);
    expect((await m.api.post('/v1/orders/o3/refunds', { id: 'r3', amount: 10_000 })).status).toBe(201);
    const reward = await m.api.post('/v1/rewards', {
      name: '€1 off',
      kind: 'discount_fixed',
      value: 100,
      currency: 'EUR',
      costPoints: 50,
    });
    expect(
      (await m.api.post('/v1/redemptions', { customerId: 'ann', rewardId: reward.body.id })).status,
    ).toBe(201);

    const program = (await m.api.get('/v1/insights/program')).body;
    const page = await (await DashboardClient.signedIn(t, m.secretKey)).get('/dashboard');
    expect(page.status).toBe(200);
    expect(figure(page.html, 'issued')).toBe(program.issued.toLocaleString('en-US'));
    expect(figure(page.html, 'redeemed')).toBe(program.redeemed.toLocaleString('en-US'));
    expect(figure(page.html, 'liability-points')).toBe(
      program.liability.points.total.toLocaleString('en-US'),
    );

    const rows = tableRows(page.html, 'Points per month');
    expect(rows).toHaveLength(12);
    expect(rows[0]![0]).toBe('2025-07');
    const byMonth = Object.fromEntries(
      rows.map((r) => [r[0], r.slice(1).map((v) => Number(v.replace(/,/g, '')))]),
    );
    expect(byMonth['2026-03']).toEqual([120, 0, 0]);
    expect(byMonth['2026-04']).toEqual([50 + 300, 0, 0]);
    // The April order's refund is a reversal recorded in June (when it happened): it nets off June's issue.
    expect(byMonth['2026-06']).toEqual([80 - 100, 50, 0]);
    const sum = (i: number) => rows.reduce((acc, r) => acc + Number(r[i]!.replace(/,/g, '')), 0);
    expect(sum(1)).toBe(program.issued);
    expect(sum(2)).toBe(program.redeemed);
  });
});
