import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { insightFactsRecount } from '../db/insight-facts';
import { customers, merchants, referrals } from '../db/schema';
import type { VerbContext } from '../src/deps';
import { programReport } from '../src/modules/insights/program';
import { referralsSatisfactionReport } from '../src/modules/insights/referrals-satisfaction';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

/**
 * The reports read the customers' insight facts, and only the period's own rows, instead of
 * every row. These tests drive random shops through the API — backdated orders with tied
 * payment times, partial and full refunds, answers, adjustments, redemptions and their
 * cancellation, expiry — and check that the facts the app keeps equal a recount from the rows,
 * and that every report read from the facts equals the same report read from every row.
 */

const DAY = 86_400_000;
const START = new Date('2025-06-15T12:00:00Z');
let t: TestApp;
const clock = new TestClock(START);
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const CUSTOMERS = ['c0', 'c1', 'c2', 'c3', 'c4'];
// Whole days only, so payment and answer times often tie.
const daysAgo = (d: number) => new Date(START.getTime() - d * DAY).toISOString();

const customer = fc.constantFrom(...CUSTOMERS);
const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('order' as const),
      customer,
      total: fc.constantFrom(500, 1_000, 2_500, 9_900),
      day: fc.integer({ min: 0, max: 200 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('refund' as const),
      nth: fc.nat(),
      amount: fc.option(fc.constantFrom(100, 400)),
    }),
  },
  fc.record({
    op: fc.constant('answer' as const),
    customer,
    score: fc.integer({ min: 0, max: 10 }),
    day: fc.integer({ min: 0, max: 200 }),
  }),
  fc.record({ op: fc.constant('adjust' as const), customer, points: fc.integer({ min: -30, max: 60 }) }),
  fc.record({ op: fc.constant('redeem' as const), customer, cancel: fc.boolean() }),
  fc.record({
    op: fc.constant('referral' as const),
    referrer: customer,
    referee: fc.constantFrom('c3', 'c4', 'x1'),
    status: fc.constantFrom('pending', 'qualified', 'rewarded', 'rejected', 'reversed'),
    day: fc.integer({ min: 0, max: 200 }),
  }),
  fc.record({ op: fc.constant('jobs' as const) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** A shop earning 10 points per order of 10.00 or more, 7 pending days, points expiring after 30. */
async function shop() {
  const m = await createMerchant(t);
  const ok = async (res: Promise<{ status: number; body: any }>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok(m.api.patch('/v1/merchant', { pendingDays: 7, expiry: { mode: 'fixed', days: 30 } }));
  await ok(
    m.api.post('/v1/rules', {
      name: 'Ten',
      event: 'order.paid',
      condition: { '>=': [{ var: 'event.total' }, 1_000] },
      reward: { type: 'fixed', points: 10 },
    }),
  );
  const reward = await ok(
    m.api.post('/v1/rewards', {
      name: 'Gift',
      costPoints: 10,
      kind: 'discount_fixed',
      value: 100,
      currency: 'EUR',
      active: true,
    }),
  );
  return { m, rewardId: reward.id as string };
}

/** Applies the operations; those the shop refuses (not enough points, nothing left to refund) change nothing. */
async function play(m: TestMerchant, rewardId: string, ops: Op[]) {
  const orderIds: string[] = [];
  for (const [i, o] of ops.entries()) {
    if (o.op === 'order') {
      const id = `o${i}`;
      const res = await m.api.post('/v1/orders', {
        id,
        customerId: o.customer,
        total: o.total,
        currency: 'EUR',
        paidAt: daysAgo(o.day),
      });
      expect(res.status).toBe(201);
      orderIds.push(id);
    } else if (o.op === 'refund' && orderIds.length > 0) {
      const orderId = orderIds[o.nth % orderIds.length]!;
      await m.api.post(`/v1/orders/${orderId}/refunds`, {
        id: `rf${i}`,
        ...(o.amount !== null && { amount: o.amount }),
      });
    } else if (o.op === 'answer') {
      const res = await m.api.post('/v1/survey-responses', {
        id: `s${i}`,
        customerId: o.customer,
        kind: 'nps',
        score: o.score,
        respondedAt: daysAgo(o.day),
      });
      expect(res.status).toBe(201);
    } else if (o.op === 'adjust' && o.points !== 0) {
      await m.api.post(`/v1/customers/${o.customer}/adjustments`, { points: o.points, reason: 'test' });
    } else if (o.op === 'redeem') {
      const res = await m.api.post('/v1/redemptions', { customerId: o.customer, rewardId });
      if (res.status === 201 && o.cancel) await m.api.post(`/v1/redemptions/${res.body.id}/cancel`);
    } else if (o.op === 'referral') {
      await t.db
        .insert(referrals)
        .values({
          merchantId: m.id,
          id: `ref${i}`,
          code: `CODE-${o.referrer}`,
          referrerId: o.referrer,
          refereeId: o.referee,
          status: o.status,
          reason: o.status === 'rejected' ? 'self_referral' : null,
          attributedAt: new Date(daysAgo(o.day)),
        })
        .onConflictDoNothing(); // a customer is referred once
    } else if (o.op === 'jobs') {
      clock.advanceDays(3);
      await m.api.post('/v1/jobs/run');
    }
  }
}

const FACTS = {
  id: customers.id,
  firstEntryAt: customers.firstEntryAt,
  lastEntryAt: customers.lastEntryAt,
  firstEarnedAt: customers.firstEarnedAt,
  entriesEarned: customers.entriesEarned,
  entriesReversed: customers.entriesReversed,
  entriesRedeemed: customers.entriesRedeemed,
  entriesExpired: customers.entriesExpired,
  entriesAdjusted: customers.entriesAdjusted,
  entriesCount: customers.entriesCount,
  firstOrderAt: customers.firstOrderAt,
  secondOrderAt: customers.secondOrderAt,
  previousOrderAt: customers.previousOrderAt,
  lastOrderAt: customers.lastOrderAt,
  ordersTotal: customers.ordersTotal,
  ordersRefunded: customers.ordersRefunded,
  ordersCount: customers.ordersCount,
  latestNps: customers.latestNps,
};
const factsOf = (merchantId: string) =>
  t.db.select(FACTS).from(customers).where(eq(customers.merchantId, merchantId)).orderBy(customers.id);

async function contextOf(m: TestMerchant): Promise<VerbContext> {
  const [merchant] = await t.db.select().from(merchants).where(eq(merchants.id, m.id));
  return { db: t.db, merchant: merchant!, clock, logger: t.deps.logger, actor: 'test', requestId: undefined };
}

describe('customer insight facts', () => {
  it('equal a recount from the ledger, the orders and the answers, whatever the order of events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 60 }), async (ops) => {
        const { m, rewardId } = await shop();
        await play(m, rewardId, ops);
        expect(await ledgerViolations(t.db, m.id)).toEqual([]);
        const kept = await factsOf(m.id);
        // Forget the facts of this merchant, then recount them as migration 0006 does.
        await t.db
          .update(customers)
          .set({
            firstEntryAt: null,
            lastEntryAt: null,
            firstEarnedAt: null,
            entriesEarned: 0,
            entriesReversed: 0,
            entriesRedeemed: 0,
            entriesExpired: 0,
            entriesAdjusted: 0,
            entriesCount: 0,
            firstOrderAt: null,
            secondOrderAt: null,
            previousOrderAt: null,
            lastOrderAt: null,
            ordersTotal: 0,
            ordersRefunded: 0,
            ordersCount: 0,
            latestNps: null,
          })
          .where(eq(customers.merchantId, m.id));
        for (const statement of insightFactsRecount()) await t.db.execute(sql.raw(statement));
        expect(await factsOf(m.id)).toEqual(kept);
      }),
      { numRuns: 4 },
    );
  });

  it('give every report the figures the rows give, for any period, reading the rows inside or outside it', async () => {
    const day = fc.option(fc.integer({ min: 0, max: 250 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 20, maxLength: 60 }),
        fc.array(fc.tuple(day, day), { minLength: 1, maxLength: 4 }),
        async (ops, bounds) => {
          const { m, rewardId } = await shop();
          await play(m, rewardId, ops);
          const ctx = await contextOf(m);
          const date = (d: number | undefined) => (d === undefined ? undefined : daysAgo(d).slice(0, 10));
          const periods = bounds.map(([a, b]) => {
            // `from` is the earlier day (more days ago).
            const [from, to] = a !== undefined && b !== undefined && a < b ? [b, a] : [a, b];
            return {
              ...(from !== undefined && { from: date(from) }),
              ...(to !== undefined && { to: date(to) }),
            };
          });
          for (const q of [{}, ...periods]) {
            const program = await programReport(ctx, q, 'rows');
            const referrals = await referralsSatisfactionReport(ctx, q, 'rows');
            for (const source of ['auto', 'inside', 'outside'] as const) {
              expect(await programReport(ctx, q, source)).toEqual(program);
              expect(await referralsSatisfactionReport(ctx, q, source)).toEqual(referrals);
            }
          }
        },
      ),
      { numRuns: 5 },
    );
  });
});
