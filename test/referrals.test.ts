import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, merchants, referralClicks } from '../db/schema';
import { CODE_ALPHABET } from '../src/modules/referrals/ensure-code';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, type ApiResponse, createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

const DAY = 86_400_000;

const PROGRAM = {
  active: true,
  referrerReward: { points: 500 },
  refereeReward: { points: 200 },
  minOrderTotal: 5_000,
  holdDays: 14,
  attributionWindowDays: 30,
  linkTemplate: 'https://shop.example/r/{code}',
};

interface Shop {
  t: TestApp;
  clock: TestClock;
  m: TestMerchant;
  daysAgo: (n: number) => string;
  code: (customerId: string, body?: Record<string, unknown>) => Promise<string>;
  refer: (body: Record<string, unknown>) => Promise<ApiResponse>;
  order: (id: string, customerId: string, total: number, extra?: Record<string, unknown>) => Promise<any>;
  jobs: () => Promise<Record<string, number>>;
  referral: (id: string) => Promise<any>;
  customer: (id: string) => Promise<any>;
  consistent: () => Promise<void>;
}

/** A fresh app with its own clock and a merchant whose referral program is configured. */
async function shop(program: Record<string, unknown> | null = {}): Promise<Shop> {
  const clock = new TestClock(new Date('2026-03-10T12:00:00.000Z'));
  const t = await createTestApp({ clock });
  const m = await createMerchant(t);
  if (program) {
    const res = await m.api.put('/v1/referral-program', { ...PROGRAM, ...program });
    expect(res.status).toBe(200);
  }
  const s: Shop = {
    t,
    clock,
    m,
    daysAgo: (n) => new Date(clock.now().getTime() - n * DAY).toISOString(),
    code: async (customerId, body = {}) => {
      const res = await m.api.post(`/v1/customers/${customerId}/referral-code`, body);
      expect([200, 201]).toContain(res.status);
      return res.body.code;
    },
    refer: (body) => m.api.post('/v1/referrals', body),
    order: async (id, customerId, total, extra = {}) => {
      const res = await m.api.post('/v1/orders', { id, customerId, total, currency: 'EUR', ...extra });
      expect(res.status).toBe(201);
      return res.body;
    },
    jobs: async () => {
      const res = await m.api.post('/v1/jobs/run');
      expect(res.status).toBe(200);
      return res.body;
    },
    referral: async (id) => (await m.api.get(`/v1/referrals/${id}`)).body,
    customer: async (id) => (await m.api.get(`/v1/customers/${id}`)).body,
    consistent: async () => expect(await ledgerViolations(t.db, m.id)).toEqual([]),
  };
  return s;
}

async function eventTypes(s: Shop) {
  const rows = await s.t.db
    .select({ type: events.type, data: events.data })
    .from(events)
    .where(eq(events.merchantId, s.m.id));
  return rows;
}

async function keyOf(m: TestMerchant, body: Record<string, unknown>) {
  const res = await m.api.post('/v1/api-keys', body);
  expect(res.status).toBe(201);
  return res.body.key as string;
}

async function ledgerOf(s: Shop, customerId: string) {
  return (await s.m.api.get(`/v1/customers/${customerId}/ledger?limit=100`)).body.data as any[];
}

describe('PUT/GET /v1/referral-program', () => {
  it('is inactive with defaults until configured', async () => {
    const s = await shop(null);
    const res = await s.m.api.get('/v1/referral-program');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      active: false,
      referrerReward: { points: 0 },
      refereeReward: { points: 0 },
      maxRewardedPerReferrer: null,
      updatedAt: null,
    });
  });

  it('replaces the settings, audits the change and bumps config_version', async () => {
    const s = await shop(null);
    const [before] = await s.t.db.select().from(merchants).where(eq(merchants.id, s.m.id));
    const body = { ...PROGRAM, maxRewardedPerReferrer: { count: 3, period: 'month' } };
    const put = await s.m.api.put('/v1/referral-program', body);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject(body);
    expect((await s.m.api.get('/v1/referral-program')).body).toEqual(put.body);
    const [after] = await s.t.db.select().from(merchants).where(eq(merchants.id, s.m.id));
    expect(after!.configVersion).toBe(before!.configVersion + 1);
    const audit = await s.m.api.get('/v1/audit-log');
    expect(audit.body.data[0]).toMatchObject({
      action: 'referral_program.updated',
      targetType: 'referral_program',
      changes: { before: { active: false }, after: { active: true, minOrderTotal: 5_000 } },
    });
  });

  it('accepts a reward from the catalog', async () => {
    const s = await shop(null);
    const reward = await s.m.api.post('/v1/rewards', {
      name: 'Free shipping',
      kind: 'free_shipping',
      costPoints: 100,
      active: true,
    });
    expect(reward.status).toBe(201);
    const put = await s.m.api.put('/v1/referral-program', {
      ...PROGRAM,
      refereeReward: { rewardId: reward.body.id },
    });
    expect(put.status).toBe(200);
    expect(put.body.refereeReward).toEqual({ rewardId: reward.body.id });
  });

  it.each([
    [{ linkTemplate: 'https://shop.example/r/' }, 'linkTemplate'],
    [{ linkTemplate: 'javascript:{code}' }, 'linkTemplate'],
    [{ referrerReward: { points: -1 } }, 'referrerReward.points'],
    [{ referrerReward: {} }, 'referrerReward'],
    [{ refereeReward: { points: 1, rewardId: 'rwd_x' } }, 'refereeReward'],
    [{ refereeReward: { rewardId: 'rwd_missing' } }, 'refereeReward.rewardId'],
    [{ holdDays: -1 }, 'holdDays'],
    [{ attributionWindowDays: 0 }, 'attributionWindowDays'],
    [{ minOrderTotal: 1.5 }, 'minOrderTotal'],
    [{ maxRewardedPerReferrer: { count: 1, period: 'week' } }, 'maxRewardedPerReferrer.period'],
    [{ active: undefined }, 'active'],
    [{ bonus: 1 }, 'bonus'],
  ])('refuses %j naming %s', async (patch, path) => {
    const s = await shop(null);
    const problem = expectProblem(await s.m.api.put('/v1/referral-program', { ...PROGRAM, ...patch }), 400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await s.m.api.get('/v1/referral-program')).body.active).toBe(false);
  });

  it('needs an admin key: 401 without, 403 with a server or publishable key', async () => {
    const s = await shop(null);
    const server = s.m.api.as(await keyOf(s.m, { kind: 'secret', scopes: ['server'] }));
    expectProblem(await s.m.anon.get('/v1/referral-program'), 401);
    expectProblem(await server.put('/v1/referral-program', PROGRAM), 403);
    expectProblem(await server.get('/v1/referral-program'), 403);
    expectProblem(await s.m.api.as(s.m.publishableKey).get('/v1/referral-program'), 403);
  });
});

describe('POST /v1/customers/{id}/referral-code', () => {
  it('generates one readable 8-character code per customer, the same on repeat, and creates the customer', async () => {
    const s = await shop();
    const first = await s.m.api.post('/v1/customers/ann/referral-code', {});
    expect(first.status).toBe(201);
    expect(first.body.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{8}$`));
    expect(first.body.code).not.toMatch(/[01OIL]/);
    expect(first.body.link).toBe(`https://shop.example/r/${first.body.code}`);
    const again = await s.m.api.post('/v1/customers/ann/referral-code', {});
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await s.customer('ann')).referralCode).toBe(first.body.code);
  });

  it('takes a vanity code, stored upper-case and unique case-insensitively', async () => {
    const s = await shop();
    const res = await s.m.api.post('/v1/customers/ann/referral-code', { code: 'Ann-Loves_Tea' });
    expect(res.status).toBe(201);
    expect(res.body.code).toBe('ANN-LOVES_TEA');
    expect((await s.m.api.post('/v1/customers/ann/referral-code', { code: 'ann-loves_tea' })).status).toBe(
      200,
    );
    expectProblem(
      await s.m.api.post('/v1/customers/bob/referral-code', { code: 'ANN-loves_TEA' }),
      409,
      'conflict',
    );
    expectProblem(await s.m.api.post('/v1/customers/ann/referral-code', { code: 'OTHER' }), 409, 'conflict');
    expectProblem(await s.m.api.get('/v1/customers/bob'), 404); // the refused request created nothing
  });

  it('lets two merchants use the same vanity code', async () => {
    const a = await shop();
    const b = await createMerchant(a.t);
    expect((await a.m.api.post('/v1/customers/c1/referral-code', { code: 'SAME' })).status).toBe(201);
    expect((await b.api.post('/v1/customers/c1/referral-code', { code: 'SAME' })).status).toBe(201);
  });

  it.each([
    [{ code: 'abc' }, 'code'],
    [{ code: 'a'.repeat(33) }, 'code'],
    [{ code: 'has space' }, 'code'],
    [{ code: 'émile' }, 'code'],
    [{ code: 42 }, 'code'],
    [{ vanity: 'ABCD' }, 'vanity'],
  ])('refuses %j naming %s', async (body, path) => {
    const s = await shop();
    const problem = expectProblem(await s.m.api.post('/v1/customers/ann/referral-code', body), 400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('refuses erased customers and deactivated codes with invalid-state', async () => {
    const s = await shop();
    await s.m.api.put('/v1/customers/gone', { email: 'gone@example.com' });
    expect((await s.m.api.delete('/v1/customers/gone')).status).toBe(204);
    expectProblem(await s.m.api.post('/v1/customers/gone/referral-code', {}), 409, 'invalid-state');
    const code = await s.code('ann');
    expect((await s.m.api.delete(`/v1/referral-codes/${code}`)).status).toBe(204);
    expectProblem(await s.m.api.post('/v1/customers/ann/referral-code', {}), 409, 'invalid-state');
  });

  it('needs a secret key: 401 without, 403 with a publishable key', async () => {
    const s = await shop();
    expectProblem(await s.m.anon.post('/v1/customers/ann/referral-code', {}), 401);
    expectProblem(await s.m.api.as(s.m.publishableKey).post('/v1/customers/ann/referral-code', {}), 403);
  });
});

describe('GET and DELETE /v1/referral-codes/{code}', () => {
  it('answers valid with the referrer first name and link, case-insensitively', async () => {
    const s = await shop();
    await s.m.api.put('/v1/customers/ann', { name: 'Ann Lee' });
    const code = await s.code('ann');
    const res = await s.m.api.get(`/v1/referral-codes/${code.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      code,
      referrer: { firstName: 'Ann' },
      link: `https://shop.example/r/${code}`,
      refereeReward: { points: 200 },
    });
  });

  it('answers unknown, deactivated, erased, program-inactive and other merchants’ codes identically', async () => {
    const s = await shop();
    const other = await createMerchant(s.t);
    const otherCode = (await other.api.post('/v1/customers/x/referral-code', {})).body.code;
    const deactivated = await s.code('dee');
    await s.m.api.delete(`/v1/referral-codes/${deactivated}`);
    const erased = await s.code('eve');
    await s.m.api.delete('/v1/customers/eve');
    const unknown = 'ZZZZZZZZ';

    const answers = [];
    for (const code of [unknown, deactivated, erased, otherCode, 'not a code!']) {
      answers.push(await s.m.api.get(`/v1/referral-codes/${encodeURIComponent(code)}`));
    }
    const live = await s.code('liv');
    await s.m.api.put('/v1/referral-program', { ...PROGRAM, active: false });
    answers.push(await s.m.api.get(`/v1/referral-codes/${live}`));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(answers[0]!.headers.get('content-type'));
      expect(JSON.stringify(res.body)).toBe('{"valid":false}');
    }
  });

  it('deactivation stops the code, clears it from the customer, is idempotent and audited', async () => {
    const s = await shop();
    const code = await s.code('ann');
    expect((await s.m.api.delete(`/v1/referral-codes/${code.toLowerCase()}`)).status).toBe(204);
    expect((await s.m.api.delete(`/v1/referral-codes/${code}`)).status).toBe(204);
    expect((await s.m.api.get(`/v1/referral-codes/${code}`)).body).toEqual({ valid: false });
    expect((await s.customer('ann')).referralCode).toBeNull();
    const audit = (await s.m.api.get('/v1/audit-log')).body.data;
    expect(audit.filter((a: { action: string }) => a.action === 'referral_code.deactivated')).toHaveLength(1);
  });

  it('security: lookups need credentials; deactivation needs admin and stays within the merchant', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const other = await createMerchant(s.t);
    const server = s.m.api.as(await keyOf(s.m, { kind: 'secret', scopes: ['server'] }));
    expectProblem(await s.m.anon.get(`/v1/referral-codes/${code}`), 401);
    // An anonymous visitor (publishable key, no customer token) may look a code up.
    expect((await s.m.api.as(s.m.publishableKey).get(`/v1/referral-codes/${code}`)).status).toBe(200);
    expect((await server.get(`/v1/referral-codes/${code}`)).body.valid).toBe(true);
    expectProblem(await server.delete(`/v1/referral-codes/${code}`), 403);
    expectProblem(await s.m.anon.delete(`/v1/referral-codes/${code}`), 401);
    expectProblem(await other.api.delete(`/v1/referral-codes/${code}`), 404, 'not-found');
    expectProblem(await s.m.api.delete('/v1/referral-codes/NOPE1234'), 404, 'not-found');
    expect((await s.m.api.get(`/v1/referral-codes/${code}`)).body.valid).toBe(true);
  });
});

describe('storefront access to codes and clicks', () => {
  async function storefront(s: Shop, customerId: string) {
    const res = await s.m.api.post(`/v1/customers/${customerId}/tokens`, {});
    expect(res.status).toBe(201);
    return s.m.api.as(s.m.publishableKey, { 'x-customer-token': res.body.token });
  }

  it('a storefront looks codes up and records clicks; lookups are rate-limited per address', async () => {
    const clock = new TestClock(new Date('2026-03-10T12:00:10.000Z'));
    const t = await createTestApp({ clock, env: { PLAUDIT_RATE_LIMIT_LOOKUP: '3' } });
    const m = await createMerchant(t);
    await m.api.put('/v1/referral-program', PROGRAM);
    const s = { m } as Shop;
    const code = (await m.api.post('/v1/customers/ann/referral-code', {})).body.code;
    const browser = await storefront(s, 'visitor');
    const ok = await browser.get(`/v1/referral-codes/${code}`);
    expect(ok.status).toBe(200);
    expect(ok.body.valid).toBe(true);
    expect(ok.headers.get('ratelimit-limit')).toBe('3');
    expect((await browser.get('/v1/referral-codes/UNKNOWN1')).body).toEqual({ valid: false });
    expect((await browser.get('/v1/referral-codes/UNKNOWN2')).status).toBe(200);
    const limited = await browser.get(`/v1/referral-codes/${code}`);
    expectProblem(limited, 429, 'rate-limited');
    expect(limited.headers.get('retry-after')).toEqual(expect.any(String));
    // The shop backend (secret key) is not throttled.
    expect((await m.api.get(`/v1/referral-codes/${code}`)).status).toBe(200);
    expect((await browser.post('/v1/referral-clicks', { code })).status).toBe(201);
  });
});

describe('anonymous visitors (publishable key, no customer token)', () => {
  it('can look a code up and record a click, and reach nothing customer-specific', async () => {
    const { m } = await shop();
    const code = (await m.api.post('/v1/customers/ann/referral-code', {})).body.code;
    const visitor = m.anon.as(m.publishableKey);
    expect((await visitor.get(`/v1/referral-codes/${code}`)).body.valid).toBe(true);
    expect((await visitor.post('/v1/referral-clicks', { code, channel: 'instagram' })).status).toBe(201);
    expectProblem(await visitor.get('/v1/me'), 403);
    expectProblem(await visitor.get('/v1/customers/ann'), 403);
  });
});

describe('POST /v1/referral-clicks', () => {
  it('records clicks on known codes only, answering every click the same', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const other = await createMerchant(s.t);
    const otherCode = (await other.api.post('/v1/customers/x/referral-code', {})).body.code;
    const known = await s.m.api.post('/v1/referral-clicks', {
      code: code.toLowerCase(),
      channel: 'whatsapp',
    });
    const unknown = await s.m.api.post('/v1/referral-clicks', { code: 'ZZZZZZZZ' });
    const foreign = await s.m.api.post('/v1/referral-clicks', { code: otherCode });
    for (const res of [known, unknown, foreign]) {
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ recorded: true });
    }
    const rows = await s.t.db.select().from(referralClicks).where(eq(referralClicks.merchantId, s.m.id));
    expect(rows).toEqual([expect.objectContaining({ code, channel: 'whatsapp' })]);
    const foreignRows = await s.t.db
      .select()
      .from(referralClicks)
      .where(and(eq(referralClicks.merchantId, other.id), eq(referralClicks.code, otherCode)));
    expect(foreignRows).toHaveLength(0);
  });

  it.each([
    [{}, 'code'],
    [{ code: '' }, 'code'],
    [{ code: 'ABCD', channel: 'x'.repeat(65) }, 'channel'],
    [{ code: 'ABCD', extra: 1 }, 'extra'],
  ])('refuses %j naming %s', async (body, path) => {
    const s = await shop();
    const problem = expectProblem(await s.m.api.post('/v1/referral-clicks', body), 400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('needs credentials: 401 without a key; an anonymous visitor with the publishable key may record a click', async () => {
    const s = await shop();
    expectProblem(await s.m.anon.post('/v1/referral-clicks', { code: 'ABCD' }), 401);
    expect((await s.m.api.as(s.m.publishableKey).post('/v1/referral-clicks', { code: 'ABCD' })).status).toBe(
      201,
    );
  });
});

describe('POST /v1/referrals (attribution)', () => {
  it('attributes a new referee: pending, referredBy set, event referral.attributed; the same code again replays', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const res = await s.refer({
      code: code.toLowerCase(),
      refereeId: 'ben',
      refereeEmail: 'Ben@Example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^ref_/),
      code,
      referrerId: 'ann',
      refereeId: 'ben',
      status: 'pending',
      reason: null,
      orderId: null,
      qualifiedAt: null,
      holdUntil: null,
      rewardedAt: null,
      reversedAt: null,
    });
    const ben = await s.customer('ben');
    expect(ben).toMatchObject({ referredBy: 'ann', email: 'Ben@Example.com' });
    const again = await s.refer({ code, refereeId: 'ben' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    const evs = await eventTypes(s);
    expect(evs.filter((e) => e.type === 'referral.attributed')).toEqual([
      { type: 'referral.attributed', data: expect.objectContaining({ id: res.body.id, status: 'pending' }) },
    ]);
  });

  it('backdates the attribution with occurredAt', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const at = s.daysAgo(3);
    const res = await s.refer({ code, refereeId: 'ben', occurredAt: at });
    expect(res.body.attributedAt).toBe(at);
  });

  type Setup = (s: Shop, code: string) => Promise<Record<string, unknown>>;
  const cases: [string, Setup][] = [
    [
      'program_inactive',
      async (s) => {
        await s.m.api.put('/v1/referral-program', { ...PROGRAM, active: false });
        return {};
      },
    ],
    ['code_inactive', async () => ({ code: 'NOSUCHCODE' })],
    [
      'code_inactive',
      async (s, code) => {
        await s.m.api.delete(`/v1/referral-codes/${code}`);
        return {};
      },
    ],
    [
      'code_inactive',
      async (s) => {
        await s.m.api.delete('/v1/customers/ann');
        return {};
      },
    ],
    ['self_referral', async () => ({ refereeId: 'ann' })],
    [
      'already_referred',
      async (s) => {
        const other = await s.code('zed');
        expect((await s.refer({ code: other, refereeId: 'ben' })).body.status).toBe('pending');
        return {};
      },
    ],
    [
      'referee_not_new',
      async (s) => {
        await s.order('o-before', 'ben', 1_000);
        return {};
      },
    ],
    ['same_email', async () => ({ refereeEmail: 'A.N.N+friend@googlemail.com' })],
    [
      'same_email',
      async (s) => {
        await s.m.api.put('/v1/customers/ben', { email: 'ann+2@gmail.com' });
        return {};
      },
    ],
    [
      'same_device',
      async (s) => {
        // The referrer was referred from this device herself.
        const first = await s.code('old');
        expect((await s.refer({ code: first, refereeId: 'ann', deviceHash: 'dev-ann' })).body.status).toBe(
          'pending',
        );
        return { deviceHash: 'dev-ann' };
      },
    ],
    ['same_device', async () => ({ ipHash: 'ip-1', referrerIpHash: 'ip-1' })],
    ['same_payment', async () => ({ paymentFingerprint: 'card-1', referrerPaymentFingerprint: 'card-1' })],
    [
      'referrer_cap_reached',
      async (s, code) => {
        await s.m.api.put('/v1/referral-program', {
          ...PROGRAM,
          maxRewardedPerReferrer: { count: 1, period: 'month' },
        });
        await s.order('o-first', 'first', 6_000, { referralCode: code, paidAt: s.daysAgo(15) });
        expect((await s.jobs()).referralsRewarded).toBe(1);
        return {};
      },
    ],
  ];

  it.each(cases)(
    'rejects with %s, stores the decision and emits referral.rejected',
    async (reason, setup) => {
      const s = await shop();
      await s.m.api.put('/v1/customers/ann', { email: 'ann@gmail.com', name: 'Ann' });
      const code = await s.code('ann');
      const patch = await setup(s, code);
      const res = await s.refer({ code, refereeId: 'ben', ...patch });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'rejected', reason });
      expect(await s.referral(res.body.id)).toEqual(res.body);
      const evs = await eventTypes(s);
      expect(evs).toContainEqual({
        type: 'referral.rejected',
        data: expect.objectContaining({ id: res.body.id, reason }),
      });
      const ben = await s.customer(String(patch.refereeId ?? 'ben'));
      if (reason !== 'already_referred' && reason !== 'self_referral') expect(ben.referredBy).toBeNull();
    },
  );

  it('a rejection of an unknown code names no referrer', async () => {
    const s = await shop();
    const res = await s.refer({ code: 'nosuch', refereeId: 'ben' });
    expect(res.body).toMatchObject({
      status: 'rejected',
      reason: 'code_inactive',
      referrerId: null,
      code: 'NOSUCH',
    });
  });

  it.each([
    [{ refereeId: 'ben' }, 'code'],
    [{ code: 'ABCD' }, 'refereeId'],
    [{ code: 'ABCD', refereeId: '' }, 'refereeId'],
    [{ code: 'ABCD', refereeId: 'ben', refereeEmail: 'not-an-email' }, 'refereeEmail'],
    [{ code: 'ABCD', refereeId: 'ben', ipHash: '' }, 'ipHash'],
    [{ code: 'ABCD', refereeId: 'ben', occurredAt: 'yesterday' }, 'occurredAt'],
    [{ code: 'ABCD', refereeId: 'ben', status: 'rewarded' }, 'status'],
  ])('refuses %j naming %s', async (body, path) => {
    const s = await shop();
    const problem = expectProblem(await s.refer(body), 400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('needs a secret key: 401 without, 403 with a publishable key', async () => {
    const s = await shop();
    const code = await s.code('ann');
    expectProblem(await s.m.anon.post('/v1/referrals', { code, refereeId: 'ben' }), 401);
    expectProblem(
      await s.m.api.as(s.m.publishableKey).post('/v1/referrals', { code, refereeId: 'ben' }),
      403,
    );
  });

  it("another merchant's code is code_inactive, indistinguishable from an unknown one", async () => {
    const s = await shop();
    const other = await createMerchant(s.t);
    await other.api.put('/v1/referral-program', PROGRAM);
    const theirs = (await other.api.post('/v1/customers/ann/referral-code', {})).body.code;
    const res = await s.refer({ code: theirs, refereeId: 'ben' });
    expect(res.body).toMatchObject({ status: 'rejected', reason: 'code_inactive', referrerId: null });
    expect((await other.api.get('/v1/referrals')).body.data).toHaveLength(0);
  });
});

describe('referral lifecycle', () => {
  it('pending → qualified by the first order meeting the minimum → rewarded by the jobs after the hold', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;

    const small = await s.order('o-small', 'ben', 4_999);
    expect(small.referral).toBeUndefined();
    expect((await s.referral(ref.id)).status).toBe('pending');

    const paidAt = s.clock.now().toISOString();
    const qualifying = await s.order('o-big', 'ben', 5_000, { paidAt });
    expect(qualifying.referral).toMatchObject({
      id: ref.id,
      status: 'qualified',
      orderId: 'o-big',
      qualifiedAt: paidAt,
      holdUntil: new Date(Date.parse(paidAt) + 14 * DAY).toISOString(),
    });
    await s.order('o-later', 'ben', 9_000);
    expect((await s.referral(ref.id)).orderId).toBe('o-big');

    expect((await s.jobs()).referralsRewarded).toBe(0);
    s.clock.advanceDays(14);
    expect((await s.jobs()).referralsRewarded).toBe(1);
    expect((await s.jobs()).referralsRewarded).toBe(0);

    const done = await s.referral(ref.id);
    expect(done).toMatchObject({ status: 'rewarded', reason: null, rewardedAt: s.clock.now().toISOString() });
    expect((await s.customer('ann')).points).toMatchObject({ available: 500, lifetimeEarned: 500 });
    const benLedger = await ledgerOf(s, 'ben');
    expect(benLedger.filter((e) => e.kind === 'referral')).toEqual([
      expect.objectContaining({ points: 200, status: 'available', source: { type: 'referral', id: ref.id } }),
    ]);
    const types = (await eventTypes(s)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['referral.attributed', 'referral.qualified', 'referral.rewarded']),
    );
    await s.consistent();
  });

  it('a backdated qualifying order already past its hold is rewarded at the next jobs run', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    const res = await s.order('o-old', 'ben', 8_000, { paidAt: s.daysAgo(20) });
    expect(res.referral).toMatchObject({ status: 'qualified', holdUntil: s.daysAgo(6) });
    expect((await s.jobs()).referralsRewarded).toBe(1);
    expect((await s.referral(ref.id)).status).toBe('rewarded');
    await s.consistent();
  });

  it('an order carrying referralCode attributes and qualifies in one go; its replay returns the referral', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const body = {
      id: 'o-1',
      customerId: 'ben',
      total: 6_000,
      currency: 'EUR',
      referralCode: code.toLowerCase(),
    };
    const first = await s.m.api.post('/v1/orders', body);
    expect(first.status).toBe(201);
    expect(first.body.referral).toMatchObject({
      referrerId: 'ann',
      refereeId: 'ben',
      status: 'qualified',
      orderId: 'o-1',
      attributedOrderId: 'o-1',
    });
    expect((await s.customer('ben')).referredBy).toBe('ann');
    const replay = await s.m.api.post('/v1/orders', body);
    expect(replay.status).toBe(200);
    expect(replay.body.referral).toEqual(first.body.referral);
  });

  it('an order with a code from a returning customer is rejected as referee_not_new', async () => {
    const s = await shop();
    const code = await s.code('ann');
    await s.order('o-1', 'ben', 1_000);
    const res = await s.order('o-2', 'ben', 9_000, { referralCode: code });
    expect(res.referral).toMatchObject({ status: 'rejected', reason: 'referee_not_new' });
    expect((await s.customer('ben')).referredBy).toBeNull();
  });

  it('an order paid after the attribution window does not qualify', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    s.clock.advanceDays(31);
    const res = await s.order('o-late', 'ben', 9_000);
    expect(res.referral).toBeUndefined();
    expect((await s.referral(ref.id)).status).toBe('pending');
  });

  it('a refund of the qualifying order inside the hold reverses the referral: no reward', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    await s.order('o-1', 'ben', 6_000);
    const refund = await s.m.api.post('/v1/orders/o-1/refunds', { id: 'r-1' });
    expect(refund.status).toBe(201);
    expect(await s.referral(ref.id)).toMatchObject({ status: 'reversed', reversedAt: expect.any(String) });
    s.clock.advanceDays(15);
    expect((await s.jobs()).referralsRewarded).toBe(0);
    expect((await s.customer('ann')).points.available).toBe(0);
    expect((await eventTypes(s)).map((e) => e.type)).toContain('referral.reversed');
  });

  it('a partial refund keeps the referral while the order still meets the minimum', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    await s.order('o-1', 'ben', 8_000);
    await s.m.api.post('/v1/orders/o-1/refunds', { id: 'r-1', amount: 3_000 });
    expect((await s.referral(ref.id)).status).toBe('qualified');
    await s.m.api.post('/v1/orders/o-1/refunds', { id: 'r-2', amount: 1 });
    expect((await s.referral(ref.id)).status).toBe('reversed');
  });

  it('a refund after the reward reverses both credits; spent points become debt', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    await s.order('o-1', 'ben', 6_000, { paidAt: s.daysAgo(15) });
    await s.jobs();
    await s.m.api.post('/v1/customers/ann/adjustments', { points: -300, reason: 'spent' });
    const refund = await s.m.api.post('/v1/orders/o-1/refunds', { id: 'r-1' });
    expect(refund.status).toBe(201);
    expect(await s.referral(ref.id)).toMatchObject({ status: 'reversed', rewardedAt: expect.any(String) });
    expect((await s.customer('ann')).points).toMatchObject({ available: 0, debt: 300, lifetimeEarned: 0 });
    expect((await s.customer('ben')).points).toMatchObject({ available: 0, debt: 0, lifetimeEarned: 0 });
    const reversals = (await ledgerOf(s, 'ann')).filter((e) => e.kind === 'reverse');
    expect(reversals).toEqual([expect.objectContaining({ source: { type: 'referral', id: ref.id } })]);
    await s.m.api.post('/v1/orders/o-1/refunds', { id: 'r-2' }).then((r) => expect(r.status).toBe(409));
    await s.consistent();
  });

  it('under refundPolicy forgive, the spent part of a reversed reward is written off', async () => {
    const s = await shop();
    await s.m.api.patch('/v1/merchant', { refundPolicy: 'forgive' });
    const code = await s.code('ann');
    await s.refer({ code, refereeId: 'ben' });
    await s.order('o-1', 'ben', 6_000, { paidAt: s.daysAgo(15) });
    await s.jobs();
    await s.m.api.post('/v1/customers/ann/adjustments', { points: -300, reason: 'spent' });
    await s.m.api.post('/v1/orders/o-1/refunds', { id: 'r-1' });
    expect((await s.customer('ann')).points).toMatchObject({ available: 0, debt: 0 });
    await s.consistent();
  });

  it('the cap at reward time rewards the referee only and says why', async () => {
    const s = await shop({ maxRewardedPerReferrer: { count: 1, period: 'lifetime' } });
    const code = await s.code('ann');
    const r1 = (await s.refer({ code, refereeId: 'ben' })).body;
    const r2 = (await s.refer({ code, refereeId: 'cat' })).body;
    await s.order('o-1', 'ben', 6_000, { paidAt: s.daysAgo(20) });
    await s.order('o-2', 'cat', 6_000, { paidAt: s.daysAgo(15) });
    expect((await s.jobs()).referralsRewarded).toBe(2);
    expect(await s.referral(r1.id)).toMatchObject({ status: 'rewarded', reason: null });
    expect(await s.referral(r2.id)).toMatchObject({ status: 'rewarded', reason: 'referrer_cap_reached' });
    expect((await s.customer('ann')).points.available).toBe(500);
    expect((await s.customer('cat')).points.available).toBe(200);
    await s.consistent();
  });

  it('a monthly cap counts rewards of the current month only', async () => {
    const s = await shop({ maxRewardedPerReferrer: { count: 1, period: 'month' } });
    const code = await s.code('ann');
    await s.refer({ code, refereeId: 'ben' });
    await s.order('o-1', 'ben', 6_000, { paidAt: s.daysAgo(15) });
    await s.jobs();
    expect((await s.refer({ code, refereeId: 'cat' })).body.reason).toBe('referrer_cap_reached');
    s.clock.advanceDays(32);
    expect((await s.refer({ code, refereeId: 'dan' })).body.status).toBe('pending');
  });

  it('issues a catalog reward for free, and cancels the unused coupon when the order is refunded', async () => {
    const s = await shop(null);
    const reward = await s.m.api.post('/v1/rewards', {
      name: '10 EUR off',
      kind: 'discount_fixed',
      value: 1_000,
      currency: 'EUR',
      costPoints: 1_000,
      active: true,
    });
    await s.m.api.put('/v1/referral-program', { ...PROGRAM, refereeReward: { rewardId: reward.body.id } });
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    await s.order('o-1', 'ben', 6_000, { paidAt: s.daysAgo(15) });
    expect((await s.jobs()).referralsRewarded).toBe(1);
    const issued = (await s.m.api.get('/v1/redemptions?customerId=ben')).body.data;
    expect(issued).toEqual([
      expect.objectContaining({ status: 'issued', pointsSpent: 0, couponCode: expect.any(String) }),
    ]);
    expect((await s.customer('ann')).points.available).toBe(500);
    await s.m.api.post('/v1/orders/o-1/refunds', { id: 'r-1' });
    expect((await s.referral(ref.id)).status).toBe('reversed');
    const after = (await s.m.api.get('/v1/redemptions?customerId=ben')).body.data;
    expect(after[0].status).toBe('cancelled');
    await s.consistent();
  });
});

describe('catalog rewards out of stock', () => {
  it('defer the reward: the referral stays qualified and nothing is given until the next run succeeds', async () => {
    const s = await shop(null);
    const reward = await s.m.api.post('/v1/rewards', {
      name: 'Tote bag',
      kind: 'product',
      productId: 'tote',
      costPoints: 1_000,
      stock: 0,
      active: true,
    });
    expect(reward.status).toBe(201);
    await s.m.api.put('/v1/referral-program', { ...PROGRAM, referrerReward: { rewardId: reward.body.id } });
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    await s.order('o-1', 'ben', 6_000, { paidAt: s.daysAgo(15) });
    expect((await s.jobs()).referralsRewarded).toBe(0);
    expect((await s.referral(ref.id)).status).toBe('qualified');
    expect((await s.customer('ben')).points.available).toBe(0);
    await s.m.api.patch(`/v1/rewards/${reward.body.id}`, { stock: 1 });
    expect((await s.jobs()).referralsRewarded).toBe(1);
    expect((await s.referral(ref.id)).status).toBe('rewarded');
    expect((await s.customer('ben')).points.available).toBe(200);
    await s.consistent();
  });
});

describe('GET /v1/referrals', () => {
  it('lists newest first with filters and cursor pagination; reads one', async () => {
    const s = await shop();
    const ann = await s.code('ann');
    const zed = await s.code('zed');
    const ids: string[] = [];
    for (const [code, referee] of [
      [ann, 'b1'],
      [ann, 'b2'],
      [zed, 'b3'],
      [ann, 'ann'],
    ] as const) {
      ids.push((await s.refer({ code, refereeId: referee })).body.id);
    }
    const all = await s.m.api.get('/v1/referrals?limit=2');
    expect(all.body.data.map((r: { id: string }) => r.id)).toEqual([ids[3], ids[2]]);
    const next = await s.m.api.get(`/v1/referrals?limit=2&cursor=${all.body.nextCursor}`);
    expect(next.body.data.map((r: { id: string }) => r.id)).toEqual([ids[1], ids[0]]);
    expect(next.body.nextCursor).toBeNull();
    const byAnn = await s.m.api.get('/v1/referrals?referrerId=ann&status=pending');
    expect(byAnn.body.data.map((r: { id: string }) => r.id)).toEqual([ids[1], ids[0]]);
    const rejected = await s.m.api.get('/v1/referrals?status=rejected');
    expect(rejected.body.data).toEqual([expect.objectContaining({ id: ids[3], reason: 'self_referral' })]);
    expect((await s.m.api.get(`/v1/referrals/${ids[2]}`)).body).toMatchObject({
      referrerId: 'zed',
      refereeId: 'b3',
    });
  });

  it.each([
    ['?status=done', 'status'],
    ['?limit=101', 'limit'],
    ['?cursor=nope', 'cursor'],
  ])('refuses %s naming %s', async (q, path) => {
    const s = await shop();
    const problem = expectProblem(await s.m.api.get(`/v1/referrals${q}`), 400);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('security: 401 without a key, 403 with a publishable key, 404 for another merchant or an unknown id', async () => {
    const s = await shop();
    const code = await s.code('ann');
    const ref = (await s.refer({ code, refereeId: 'ben' })).body;
    const other = await createMerchant(s.t);
    expectProblem(await s.m.anon.get('/v1/referrals'), 401);
    expectProblem(await s.m.api.as(s.m.publishableKey).get(`/v1/referrals/${ref.id}`), 403);
    expectProblem(await other.api.get(`/v1/referrals/${ref.id}`), 404, 'not-found');
    expect((await other.api.get('/v1/referrals')).body.data).toEqual([]);
    expectProblem(await s.m.api.get('/v1/referrals/ref_nope'), 404, 'not-found');
  });
});

describe('OpenAPI', () => {
  it('documents the referral routes', async () => {
    const s = await shop(null);
    const doc = await new Api(s.t.app).get('/openapi.json');
    for (const path of [
      '/v1/referral-program',
      '/v1/customers/{customerId}/referral-code',
      '/v1/referral-codes/{code}',
      '/v1/referral-clicks',
      '/v1/referrals',
      '/v1/referrals/{id}',
    ]) {
      expect(doc.body.paths).toHaveProperty([path]);
    }
  });
});
