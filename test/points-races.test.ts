import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { usingPostgres } from './helpers/database';
import { ledgerViolations } from './helpers/invariants';

// Against real Postgres these requests run concurrently on a pool of connections; on PGlite
// they are serialised by the single connection, and the outcome must be the same.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});

async function shop(): Promise<TestMerchant> {
  const m = await createMerchant(t);
  await m.api.post('/v1/rules', {
    name: '1 point per euro',
    event: 'order.paid',
    reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
  });
  return m;
}

describe(`concurrent writes (${usingPostgres() ? 'Postgres' : 'PGlite'})`, () => {
  it('100 concurrent posts of the same order award it once', async () => {
    const m = await shop();
    const body = { id: 'o-race', customerId: 'racer', total: 10_000, currency: 'EUR' };
    const results = await Promise.all(Array.from({ length: 100 }, () => m.api.post('/v1/orders', body)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200)).toBe(true);
    const ids = new Set(results.flatMap((r) => r.body.awarded.map((e: { id: string }) => e.id)));
    expect(ids.size).toBe(1);
    const customer = await m.api.get('/v1/customers/racer');
    expect(customer.body.points).toMatchObject({ available: 100, lifetimeEarned: 100 });
    const ledger = await m.api.get('/v1/customers/racer/ledger');
    expect(ledger.body.data).toHaveLength(1);
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });

  it('50 concurrent different orders for one customer all land, with the exact final balance', async () => {
    const m = await shop();
    const totals = Array.from({ length: 50 }, (_, i) => 1_000 + i * 100); // 10..59 points
    const results = await Promise.all(
      totals.map((total, i) =>
        m.api.post('/v1/orders', { id: `o-${i}`, customerId: 'busy', total, currency: 'EUR' }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const expected = totals.reduce((s, total) => s + Math.floor(total / 100), 0);
    const customer = await m.api.get('/v1/customers/busy');
    expect(customer.body.points).toMatchObject({ available: expected, lifetimeEarned: expected });
    expect(customer.body.points.available).toBe(expected);
    // balanceAfter is a running balance: the entries, in write order, add up step by step.
    const entries: { points: number; balanceAfter: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { points: number; balanceAfter: number }[]; nextCursor: string | null } } =
        await m.api.get(`/v1/customers/busy/ledger?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      entries.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    entries.reverse();
    let running = 0;
    for (const e of entries) {
      running += e.points;
      expect(e.balanceAfter).toBe(running);
    }
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });

  it('concurrent refunds of one order never reverse more than it earned', async () => {
    const m = await shop();
    await m.api.post('/v1/orders', { id: 'o-1', customerId: 'refunder', total: 10_000, currency: 'EUR' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        m.api.post('/v1/orders/o-1/refunds', { id: `r-${i}`, amount: 1_000 }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(10); // 10 × 10.00 refunds the whole order; the rest find nothing refundable
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 400 || r.status === 409)).toBe(
      true,
    );
    const customer = await m.api.get('/v1/customers/refunder');
    expect(customer.body.points).toMatchObject({ available: 0, lifetimeEarned: 0, debt: 0 });
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });
});
