import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestApp, TestClock } from './helpers/app';
import { createMerchant } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

const customerIds = ['ana', 'ben'] as const;

const op = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    customer: fc.constantFrom(...customerIds),
    total: fc.integer({ min: 100, max: 50_000 }),
    backdateDays: fc.integer({ min: 0, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('refund' as const),
    order: fc.nat(),
    share: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('adjust' as const),
    customer: fc.constantFrom(...customerIds),
    points: fc.integer({ min: -300, max: 300 }).filter((p) => p !== 0),
  }),
  fc.record({ kind: fc.constant('time' as const), days: fc.integer({ min: 1, max: 20 }) }),
);

describe('ledger invariants under random operations', () => {
  it('hold after every step of any sequence of earn, refund, adjust, debit, mature and expire', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 5, maxLength: 14 }),
        fc.constantFrom('debt', 'forgive'),
        async (ops, policy) => {
          const clock = new TestClock();
          const t = await createTestApp({ clock });
          const m = await createMerchant(t);
          await m.api.patch('/v1/merchant', {
            pendingDays: 7,
            expiry: { mode: 'fixed', days: 30 },
            refundPolicy: policy,
          });
          await m.api.post('/v1/rules', {
            name: 'per euro',
            event: 'order.paid',
            reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'round' },
          });
          for (const id of customerIds) await m.api.put(`/v1/customers/${id}`, {});
          const orders: { id: string; total: number }[] = [];

          for (const [i, o] of ops.entries()) {
            let status: number;
            if (o.kind === 'order') {
              const paidAt = new Date(clock.now().getTime() - o.backdateDays * 86_400_000).toISOString();
              const id = `o-${i}`;
              status = (
                await m.api.post('/v1/orders', {
                  id,
                  customerId: o.customer,
                  total: o.total,
                  currency: 'EUR',
                  paidAt,
                })
              ).status;
              orders.push({ id, total: o.total });
              expect(status).toBe(201);
            } else if (o.kind === 'refund') {
              if (orders.length === 0) continue;
              const target = orders[o.order % orders.length]!;
              const body = o.share
                ? { id: `r-${i}`, amount: Math.max(1, Math.floor((target.total * o.share) / 100)) }
                : { id: `r-${i}` };
              status = (await m.api.post(`/v1/orders/${target.id}/refunds`, body)).status;
              expect([201, 400, 409]).toContain(status); // 400/409: nothing left to refund
            } else if (o.kind === 'adjust') {
              status = (
                await m.api.post(`/v1/customers/${o.customer}/adjustments`, {
                  points: o.points,
                  reason: 'test',
                })
              ).status;
              expect([201, 409]).toContain(status); // 409: would go below zero
            } else {
              clock.advanceDays(o.days);
              status = (await m.api.post('/v1/jobs/run')).status;
              expect(status).toBe(200);
            }
            const violations = await ledgerViolations(t.db, m.id);
            if (violations.length)
              throw new Error(`after step ${i} ${JSON.stringify(o)}: ${JSON.stringify(violations)}`);
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);
});
