import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { customers, earningRules, ledgerEntries, merchants, tiers } from '../db/schema';
import { newId } from '../src/lib/ids';
import { loadRuleUsage } from '../src/modules/rules/usage';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';

let t: TestApp;
const clock = new TestClock(new Date('2025-06-15T12:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);

const perEuro = { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' };
const baseRule = { name: 'Points per euro', event: 'order.paid', reward: perEuro };

/** Creates a rule one millisecond after the previous one, so creation order is well defined. */
async function createRule(m: TestMerchant, body: Record<string, unknown> = {}) {
  clock.advance(1);
  const res = await m.api.post('/v1/rules', { ...baseRule, ...body });
  if (res.status !== 201) throw new Error(`rule creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string } & Record<string, unknown>;
}

async function serverKey(m: TestMerchant): Promise<Api> {
  const res = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
  return new Api(t.app, res.body.key);
}

async function configVersion(merchantId: string): Promise<number> {
  const [row] = await t.db
    .select({ v: merchants.configVersion })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  return row!.v;
}

async function earnEntry(
  merchantId: string,
  customerId: string,
  ruleId: string,
  occurredAt: Date,
  points = 10,
) {
  await t.db.insert(ledgerEntries).values({
    merchantId,
    id: newId('entry', occurredAt),
    customerId,
    kind: 'earn',
    points,
    status: 'available',
    availableAt: occurredAt,
    sourceType: 'order',
    sourceId: newId('event'),
    ruleId,
    balanceAfter: points,
    actor: 'test',
    occurredAt,
  });
}

describe('earning rule CRUD', () => {
  it('creates a rule with defaults and reads it back', async () => {
    const m = await createMerchant(t);
    const now = clock.now().toISOString();
    const res = await m.api.post('/v1/rules', baseRule);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^rul_/),
      name: 'Points per euro',
      event: 'order.paid',
      condition: null,
      reward: perEuro,
      limits: null,
      startsAt: null,
      endsAt: null,
      priority: 0,
      stackable: true,
      pendingDays: null,
      applyTierMultiplier: true,
      active: true,
      budgetUsed: 0,
      createdAt: now,
      updatedAt: now,
    });
    const got = await m.api.get(`/v1/rules/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('stores every field as sent, including a custom event and a condition', async () => {
    const m = await createMerchant(t);
    const body = {
      name: 'Double points on app referrals',
      event: 'app.referral_shared',
      condition: {
        and: [{ '>=': [{ var: 'event.properties.count' }, 2] }, { in: ['vip', { var: 'customer.tags' }] }],
      },
      reward: { type: 'fixed', points: 50 },
      limits: { perCustomer: { count: 3, period: 'week' }, budget: 10_000 },
      startsAt: '2025-06-01T00:00:00+02:00',
      endsAt: '2025-07-01T00:00:00Z',
      priority: 7,
      stackable: false,
      pendingDays: 14,
      applyTierMultiplier: false,
      active: false,
    };
    const res = await m.api.post('/v1/rules', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...body,
      startsAt: '2025-05-31T22:00:00.000Z',
      endsAt: '2025-07-01T00:00:00.000Z',
    });
  });

  it('lists live rules oldest first, by event and state, a page at a time', async () => {
    const m = await createMerchant(t);
    const a = await createRule(m, { name: 'a' });
    const b = await createRule(m, { name: 'b', active: false });
    const c = await createRule(m, {
      name: 'c',
      event: 'review.created',
      reward: { type: 'fixed', points: 5 },
    });
    const all = await m.api.get('/v1/rules');
    expect(all.body.data.map((r: { id: string }) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(
      (await m.api.get('/v1/rules?event=order.paid')).body.data.map((r: { id: string }) => r.id),
    ).toEqual([a.id, b.id]);
    expect((await m.api.get('/v1/rules?active=false')).body.data.map((r: { id: string }) => r.id)).toEqual([
      b.id,
    ]);
    const first = await m.api.get('/v1/rules?limit=2');
    expect(first.body.data).toHaveLength(2);
    const second = await m.api.get(`/v1/rules?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: c.id })], nextCursor: null });
  });

  it('patches only the fields sent, and null clears an optional one', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m, {
      condition: { '>': [{ var: 'event.total' }, 0] },
      limits: { budget: 100 },
    });
    clock.advance(1000);
    const res = await m.api.patch(`/v1/rules/${rule.id}`, { name: 'Renamed', condition: null, priority: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      condition: null,
      priority: 3,
      limits: { budget: 100 },
      reward: perEuro,
      active: true,
      createdAt: rule.createdAt,
    });
    expect(res.body.updatedAt).not.toBe(rule.updatedAt);
  });

  it('deletes softly: 204, then 404 everywhere, absent from the list, row kept', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m);
    const res = await m.api.delete(`/v1/rules/${rule.id}`);
    expect(res.status).toBe(204);
    expectProblem(await m.api.get(`/v1/rules/${rule.id}`), 404, 'not-found');
    expectProblem(await m.api.patch(`/v1/rules/${rule.id}`, { name: 'x' }), 404, 'not-found');
    expectProblem(await m.api.delete(`/v1/rules/${rule.id}`), 404, 'not-found');
    expect((await m.api.get('/v1/rules')).body.data).toEqual([]);
    const [row] = await t.db
      .select({ deletedAt: earningRules.deletedAt })
      .from(earningRules)
      .where(and(eq(earningRules.merchantId, m.id), eq(earningRules.id, rule.id)));
    expect(row!.deletedAt).toBeInstanceOf(Date);
  });

  it('audits every change and bumps the config version each time', async () => {
    const m = await createMerchant(t);
    const v0 = await configVersion(m.id);
    const rule = await createRule(m);
    clock.advance(1);
    await m.api.patch(`/v1/rules/${rule.id}`, { active: false });
    clock.advance(1);
    await m.api.delete(`/v1/rules/${rule.id}`);
    expect(await configVersion(m.id)).toBe(v0 + 3);
    const audit = await m.api.get('/v1/audit-log');
    const ruleEntries = audit.body.data.filter((e: { targetType: string }) => e.targetType === 'rule');
    expect(ruleEntries.map((e: { action: string }) => e.action)).toEqual([
      'rule.deleted',
      'rule.updated',
      'rule.created',
    ]);
    expect(ruleEntries.every((e: { targetId: string }) => e.targetId === rule.id)).toBe(true);
    expect(ruleEntries[1].changes).toMatchObject({
      before: { active: true },
      after: { active: false },
      patch: { active: false },
    });
    expect(ruleEntries[2].actor).toMatch(/^key:/);
  });
});

describe.each([
  ['no name', { name: undefined }, 'name'],
  ['an event name with capitals', { event: 'Order Paid' }, 'event'],
  [
    'an unknown operator in the condition',
    { condition: { and: [true, { '=>': [{ var: 'event.total' }, 1] }] } },
    'condition.and.1.=>',
  ],
  ['a malformed comparison', { condition: { and: [true, { '>=': [1] }] } }, 'condition.and.1.>='],
  ['a condition that is a string', { condition: 'total > 5' }, 'condition'],
  ['reward.per of 0', { reward: { ...perEuro, per: 0 } }, 'reward.per'],
  ['fractional reward points', { reward: { type: 'fixed', points: 1.5 } }, 'reward.points'],
  ['an unknown reward type', { reward: { type: 'cashback', points: 1 } }, 'reward.type'],
  ['an unknown rounding', { reward: { ...perEuro, rounding: 'up' } }, 'reward.rounding'],
  ['a field foreign to the reward', { reward: { type: 'fixed', points: 1, per: 2 } }, 'reward.per'],
  ['a multiplier of 1', { reward: { type: 'multiplier', factor: 1 } }, 'reward.factor'],
  ['a multiplier with 5 decimals', { reward: { type: 'multiplier', factor: 1.00001 } }, 'reward.factor'],
  ['a cap of 0', { limits: { perCustomer: { count: 0, period: 'day' } } }, 'limits.perCustomer.count'],
  ['a cap per year', { limits: { perCustomer: { count: 1, period: 'year' } } }, 'limits.perCustomer.period'],
  ['a negative budget', { limits: { budget: -5 } }, 'limits.budget'],
  ['endsAt before startsAt', { startsAt: '2025-07-01T00:00:00Z', endsAt: '2025-06-01T00:00:00Z' }, 'endsAt'],
  [
    'endsAt equal to startsAt',
    { startsAt: '2025-07-01T00:00:00Z', endsAt: '2025-07-01T00:00:00Z' },
    'endsAt',
  ],
  ['a date without offset', { startsAt: '2025-07-01 10:00' }, 'startsAt'],
  ['pendingDays over 365', { pendingDays: 366 }, 'pendingDays'],
  ['a fractional priority', { priority: 1.5 }, 'priority'],
  ['budgetUsed (not writable)', { budgetUsed: 0 }, 'budgetUsed'],
  ['an unknown field', { points: 10 }, 'points'],
])('POST /v1/rules with %s', (_, patch, path) => {
  it(`answers 400 naming ${path}`, async () => {
    const m = await createMerchant(t);
    const problem = expectProblem(
      await m.api.post('/v1/rules', { ...baseRule, ...patch }),
      400,
      'validation-failed',
    );
    expect(paths(problem)).toContain(path);
    expect((await m.api.get('/v1/rules')).body.data).toEqual([]);
  });
});

describe('PATCH /v1/rules/{id} validation', () => {
  it('validates the merged rule: an endsAt before the stored startsAt is refused at endsAt', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m, { startsAt: '2025-07-01T00:00:00Z' });
    const v = await configVersion(m.id);
    const problem = expectProblem(
      await m.api.patch(`/v1/rules/${rule.id}`, { endsAt: '2025-06-01T00:00:00Z' }),
      400,
      'validation-failed',
    );
    expect(problem.errors).toEqual([{ path: 'endsAt', message: expect.stringContaining('after startsAt') }]);
    expect(await configVersion(m.id)).toBe(v);
  });

  it.each([
    [{ condition: { or: [{ foo: 1 }] } }, 'condition.or.0.foo'],
    [{ reward: { type: 'points_per_amount', points: 1, per: -1 } }, 'reward.per'],
    [{ limits: { perCustomer: { count: 1.5, period: 'day' } } }, 'limits.perCustomer.count'],
    [{ id: 'rul_other' }, 'id'],
  ])('refuses %j naming %s', async (patch, path) => {
    const m = await createMerchant(t);
    const rule = await createRule(m);
    const problem = expectProblem(await m.api.patch(`/v1/rules/${rule.id}`, patch), 400, 'validation-failed');
    expect(paths(problem)).toContain(path);
  });
});

describe('GET /v1/rules query validation', () => {
  it.each([
    ['active=yes', 'active'],
    ['limit=101', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('%s → 400 at %s', async (qs, path) => {
    const m = await createMerchant(t);
    expect(paths(expectProblem(await m.api.get(`/v1/rules?${qs}`), 400, 'validation-failed'))).toContain(
      path,
    );
  });
});

describe('rule routes security', () => {
  it('needs credentials: no key → 401 on every route', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m);
    for (const res of [
      await m.anon.post('/v1/rules', baseRule),
      await m.anon.get('/v1/rules'),
      await m.anon.get(`/v1/rules/${rule.id}`),
      await m.anon.patch(`/v1/rules/${rule.id}`, { name: 'x' }),
      await m.anon.delete(`/v1/rules/${rule.id}`),
      await m.anon.post('/v1/rules/preview', { event: { type: 'signup' } }),
    ]) {
      expectProblem(res, 401, 'unauthorized');
    }
  });

  it('needs the admin scope: a server key → 403, a publishable key → 403', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m);
    const server = await serverKey(m);
    const publishable = m.anon.as(m.publishableKey);
    for (const api of [server, publishable]) {
      expectProblem(await api.post('/v1/rules', baseRule), 403, 'forbidden');
      expectProblem(await api.get('/v1/rules'), 403, 'forbidden');
      expectProblem(await api.patch(`/v1/rules/${rule.id}`, { name: 'x' }), 403, 'forbidden');
      expectProblem(await api.post('/v1/rules/preview', { event: { type: 'signup' } }), 403, 'forbidden');
    }
  });

  it("never reaches another merchant's rule: 404, not listed, not previewed", async () => {
    const owner = await createMerchant(t);
    const other = await createMerchant(t);
    const rule = await createRule(owner, { event: 'signup', reward: { type: 'fixed', points: 100 } });
    expectProblem(await other.api.get(`/v1/rules/${rule.id}`), 404, 'not-found');
    expectProblem(await other.api.patch(`/v1/rules/${rule.id}`, { active: false }), 404, 'not-found');
    expectProblem(await other.api.delete(`/v1/rules/${rule.id}`), 404, 'not-found');
    expect((await other.api.get('/v1/rules')).body.data).toEqual([]);
    expect((await other.api.post('/v1/rules/preview', { event: { type: 'signup' } })).body.total).toBe(0);
    expect((await owner.api.get(`/v1/rules/${rule.id}`)).body.active).toBe(true);
  });
});

describe('POST /v1/rules/preview', () => {
  async function rowCounts(merchantId: string) {
    const [entries] = await t.db
      .select({ n: count() })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.merchantId, merchantId));
    const [custs] = await t.db
      .select({ n: count() })
      .from(customers)
      .where(eq(customers.merchantId, merchantId));
    const [rules] = await t.db
      .select({ used: earningRules.budgetUsed })
      .from(earningRules)
      .where(eq(earningRules.merchantId, merchantId));
    return { entries: entries!.n, customers: custs!.n, budgetUsed: rules?.used };
  }

  it('says which rules match, why the others do not, and the total — writing nothing', async () => {
    const m = await createMerchant(t);
    const base = await createRule(m, { name: 'base', limits: { budget: 1_000 } });
    const vip = await createRule(m, {
      name: 'vip bonus',
      reward: { type: 'fixed', points: 100 },
      condition: { in: ['vip', { var: 'customer.tags' }] },
    });
    const big = await createRule(m, {
      name: 'big basket',
      reward: { type: 'fixed', points: 50 },
      condition: { '>=': [{ var: 'event.total' }, 10_000] },
    });
    const off = await createRule(m, { name: 'paused', active: false });
    const later = await createRule(m, { name: 'summer', startsAt: '2025-07-01T00:00:00Z' });
    const weekend = await createRule(m, {
      name: 'x2',
      reward: { type: 'multiplier', factor: 2 },
      priority: -1,
    });
    await createRule(m, { name: 'reviews', event: 'review.created', reward: { type: 'fixed', points: 5 } });
    const before = await rowCounts(m.id);

    const res = await m.api.post('/v1/rules/preview', {
      event: {
        type: 'order.paid',
        id: 'ord_1',
        customerId: 'cust_new',
        total: 12_345,
        currency: 'EUR',
        channel: 'web',
      },
      customer: { tags: ['vip'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.matched).toEqual([
      {
        ruleId: base.id,
        points: 123,
        pendingDays: null,
        trace: expect.objectContaining({ base: '12345 × 1 / 100 = 123.45, floor → 123' }),
      },
      {
        ruleId: vip.id,
        points: 100,
        pendingDays: null,
        trace: expect.objectContaining({ condition: 'holds' }),
      },
      { ruleId: big.id, points: 50, pendingDays: null, trace: expect.any(Object) },
      { ruleId: weekend.id, points: 273, pendingDays: null, trace: expect.any(Object) },
    ]);
    expect(res.body.skipped).toEqual([
      { ruleId: off.id, reason: 'inactive', detail: expect.any(String) },
      { ruleId: later.id, reason: 'outside_window', detail: 'starts at 2025-07-01T00:00:00.000Z' },
    ]);
    expect(res.body.total).toBe(123 + 100 + 50 + 273);
    expect(res.body.facts).toMatchObject({ knownCustomer: false, amount: 12_345, tierMultiplier: 1 });
    expect(await rowCounts(m.id)).toEqual(before);
  });

  it('uses a known customer’s facts and cap usage, read-only', async () => {
    const m = await createMerchant(t);
    expect((await m.api.put('/v1/customers/cust_9', { tags: ['vip'] })).status).toBe(200);
    const capped = await createRule(m, {
      name: 'one per day',
      reward: { type: 'fixed', points: 10 },
      limits: { perCustomer: { count: 1, period: 'day' } },
    });
    const vip = await createRule(m, {
      name: 'vip',
      reward: { type: 'fixed', points: 20 },
      condition: { in: ['vip', { var: 'customer.tags' }] },
    });
    const preview = () =>
      m.api.post('/v1/rules/preview', {
        event: { type: 'order.paid', id: 'o', customerId: 'cust_9', total: 100, currency: 'EUR' },
      });
    const first = await preview();
    expect(first.body.matched.map((r: { ruleId: string }) => r.ruleId)).toEqual([capped.id, vip.id]);
    expect(first.body.facts.knownCustomer).toBe(true);

    await earnEntry(m.id, 'cust_9', capped.id, new Date('2025-06-14T23:59:59Z')); // yesterday: not today's cap
    expect((await preview()).body.skipped).toEqual([]);
    await earnEntry(m.id, 'cust_9', capped.id, new Date('2025-06-15T00:00:00Z'));
    const before = await rowCounts(m.id);
    const second = await preview();
    expect(second.body.skipped).toEqual([
      { ruleId: capped.id, reason: 'cap_reached', detail: '1 of 1 awards per day already made' },
    ]);
    expect(second.body.total).toBe(20);
    expect(await rowCounts(m.id)).toEqual(before);
  });

  it('applies the tier multiplier of the tier named in the facts', async () => {
    const m = await createMerchant(t);
    await t.db.insert(tiers).values({
      merchantId: m.id,
      id: newId('tier'),
      name: 'Gold',
      rank: 1,
      threshold: 1000,
      window: 'lifetime',
      earnMultiplier: 1.5,
    });
    const rule = await createRule(m, { reward: { type: 'fixed', points: 15 } });
    const flat = await createRule(m, { reward: { type: 'fixed', points: 15 }, applyTierMultiplier: false });
    const res = await m.api.post('/v1/rules/preview', {
      event: { type: 'order.paid', id: 'o', customerId: 'c', total: 1, currency: 'EUR' },
      customer: { tier: 'Gold' },
    });
    expect(res.body.matched.map((r: { ruleId: string; points: number }) => [r.ruleId, r.points])).toEqual([
      [rule.id, 22],
      [flat.id, 15],
    ]);
    expect(res.body.facts.tierMultiplier).toBe(1.5);
  });

  it('takes the amount from event.amount or properties.amount for other events', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m, {
      event: 'survey.submitted',
      reward: { type: 'points_per_amount', points: 1, per: 10, rounding: 'ceil' },
    });
    const p = (event: Record<string, unknown>) =>
      m.api.post('/v1/rules/preview', { event: { type: 'survey.submitted', ...event } });
    expect((await p({ amount: 15 })).body.total).toBe(2);
    expect((await p({ properties: { amount: 21 } })).body.total).toBe(3);
    expect((await p({})).body.skipped).toEqual([
      { ruleId: rule.id, reason: 'no_amount', detail: expect.any(String) },
    ]);
  });

  it('evaluates windows at the event’s own time', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m, { endsAt: '2025-06-01T00:00:00Z' });
    const res = await m.api.post('/v1/rules/preview', {
      event: {
        type: 'order.paid',
        id: 'o',
        customerId: 'c',
        total: 500,
        currency: 'EUR',
        paidAt: '2025-05-31T23:59:59Z',
      },
    });
    expect(res.body.matched).toEqual([expect.objectContaining({ ruleId: rule.id, points: 5 })]);
  });

  it('sees a rule change at once (the config version reloads the cache)', async () => {
    const m = await createMerchant(t);
    const rule = await createRule(m, { event: 'signup', reward: { type: 'fixed', points: 10 } });
    const preview = async () =>
      (await m.api.post('/v1/rules/preview', { event: { type: 'signup' } })).body.total;
    expect(await preview()).toBe(10);
    await m.api.patch(`/v1/rules/${rule.id}`, { reward: { type: 'fixed', points: 25 } });
    expect(await preview()).toBe(25);
    await m.api.delete(`/v1/rules/${rule.id}`);
    expect(await preview()).toBe(0);
  });

  it.each([
    [{ event: { type: 'order.paid', id: 'o', customerId: 'c', currency: 'EUR' } }, 'event.total'],
    [{ event: { type: 'order.paid', total: -1 } }, 'event.total'],
    [{ event: { type: 'Signup' } }, 'event.type'],
    [{ event: { type: 'signup', paidAt: 'yesterday' } }, 'event.paidAt'],
    [{ event: { type: 'signup' }, customer: { ordersCount: -1 } }, 'customer.ordersCount'],
    [{ event: { type: 'signup' }, customer: { points: 5 } }, 'customer.points'],
    [{ event: { type: 'signup' }, dryRun: true }, 'dryRun'],
  ])('refuses %j at %s', async (body, path) => {
    const m = await createMerchant(t);
    expect(
      paths(expectProblem(await m.api.post('/v1/rules/preview', body), 400, 'validation-failed')),
    ).toContain(path);
  });
});

describe('loadRuleUsage', () => {
  it('counts one customer’s earning entries per rule since the period start in the merchant’s zone, in one query', async () => {
    const m = await createMerchant(t, { timezone: 'Europe/Paris' });
    const day = await createRule(m, {
      name: 'day',
      limits: { perCustomer: { count: 5, period: 'day' }, budget: 500 },
    });
    const life = await createRule(m, {
      name: 'life',
      limits: { perCustomer: { count: 5, period: 'lifetime' } },
    });
    const free = await createRule(m, { name: 'free' });
    await t.db
      .update(earningRules)
      .set({ budgetUsed: 42 })
      .where(and(eq(earningRules.merchantId, m.id), eq(earningRules.id, day.id)));
    // Paris midnight of 2025-06-15 is 2025-06-14T22:00Z.
    await earnEntry(m.id, 'c1', day.id, new Date('2025-06-14T21:59:59Z'));
    await earnEntry(m.id, 'c1', day.id, new Date('2025-06-14T22:00:00Z'));
    await earnEntry(m.id, 'c1', day.id, new Date('2025-06-15T11:00:00Z'));
    await earnEntry(m.id, 'c2', day.id, new Date('2025-06-15T11:00:00Z'));
    await earnEntry(m.id, 'c1', life.id, new Date('2020-01-01T00:00:00Z'));
    await earnEntry(m.id, 'c1', life.id, new Date('2025-06-15T11:00:00Z'), -10);
    const rules = await t.db.select().from(earningRules).where(eq(earningRules.merchantId, m.id));
    const [merchant] = await t.db.select().from(merchants).where(eq(merchants.id, m.id));
    const usage = await loadRuleUsage(t.db, merchant!, 'c1', rules, clock.now());
    expect(usage.get(day.id)).toEqual({ periodCount: 2, budgetUsed: 42 });
    expect(usage.get(life.id)).toEqual({ periodCount: 1, budgetUsed: 0 });
    expect(usage.has(free.id)).toBe(false);
    const nobody = await loadRuleUsage(t.db, merchant!, null, rules, clock.now());
    expect(nobody.get(day.id)).toEqual({ periodCount: 0, budgetUsed: 42 });
  });
});
