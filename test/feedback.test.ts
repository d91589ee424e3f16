import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { events } from '../db/schema';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

let t: TestApp;
const clock = new TestClock(new Date('2025-06-15T12:00:00Z'));
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY).toISOString();

/** A merchant whose survey answers earn 50 points, and 25 more for promoters (a condition on the score). */
async function surveyShop(): Promise<TestMerchant> {
  const m = await createMerchant(t);
  const flat = await m.api.post('/v1/rules', {
    name: 'Thanks for answering',
    event: 'survey.submitted',
    reward: { type: 'fixed', points: 50 },
  });
  expect(flat.status).toBe(201);
  const promoters = await m.api.post('/v1/rules', {
    name: 'Promoter bonus',
    event: 'survey.submitted',
    condition: { '>=': [{ var: 'event.score' }, 9] },
    reward: { type: 'fixed', points: 25 },
  });
  expect(promoters.status).toBe(201);
  return m;
}

const nps = (id: string, customerId: string, score: number, extra: Record<string, unknown> = {}) => ({
  id,
  customerId,
  kind: 'nps',
  score,
  ...extra,
});

const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);

async function eventsOf(m: TestMerchant, type: string) {
  return t.db
    .select()
    .from(events)
    .where(and(eq(events.merchantId, m.id), eq(events.type, type)))
    .orderBy(asc(events.id));
}

async function customer(m: TestMerchant, id: string) {
  const res = await m.api.get(`/v1/customers/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('POST /v1/survey-responses', () => {
  it('records a promoter, awards through the survey rules, creates the customer and invites them to refer', async () => {
    const m = await surveyShop();
    const res = await m.api.post(
      '/v1/survey-responses',
      nps('s-1', 'ann', 10, { comment: 'Love it', orderId: 'o-9', channel: 'email' }),
    );
    expect(res.status).toBe(201);
    expect(res.body.response).toEqual({
      id: 's-1',
      customerId: 'ann',
      kind: 'nps',
      score: 10,
      comment: 'Love it',
      orderId: 'o-9',
      channel: 'email',
      respondedAt: clock.now().toISOString(),
      pointsEarned: 75,
      createdAt: clock.now().toISOString(),
    });
    expect(res.body.segment).toBe('promoter');
    expect(res.body.awarded.map((e: { points: number }) => e.points).sort()).toEqual([25, 50]);
    expect(res.body.awarded[0]).toMatchObject({
      kind: 'earn',
      status: 'available',
      source: { type: 'survey', id: 's-1' },
    });
    const ann = await customer(m, 'ann');
    expect(ann.latestNps).toBe(10);
    expect(ann.points.available).toBe(75);

    const invite = res.body.referralInvite;
    expect(invite).toEqual({ code: expect.any(String), link: expect.stringContaining(invite.code) });
    const [promoted] = await eventsOf(m, 'customer.promoter');
    expect(promoted?.data).toMatchObject({
      customerId: 'ann',
      responseId: 's-1',
      score: 10,
      referralInvite: invite,
    });
    expect(await eventsOf(m, 'feedback.detractor')).toEqual([]);
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });

  it('alerts on a detractor with the comment, for service recovery, and invites no one', async () => {
    const m = await surveyShop();
    const res = await m.api.post(
      '/v1/survey-responses',
      nps('s-1', 'bob', 3, { comment: 'Late delivery', orderId: 'o-1', respondedAt: at(2) }),
    );
    expect(res.status).toBe(201);
    expect(res.body.segment).toBe('detractor');
    expect(res.body).not.toHaveProperty('referralInvite');
    expect(res.body.awarded.map((e: { points: number }) => e.points)).toEqual([50]);
    const alerts = await eventsOf(m, 'feedback.detractor');
    expect(alerts.map((e) => e.data)).toEqual([
      {
        customerId: 'bob',
        responseId: 's-1',
        score: 3,
        comment: 'Late delivery',
        orderId: 'o-1',
        channel: null,
        respondedAt: at(2),
      },
    ]);
    expect(await eventsOf(m, 'customer.promoter')).toEqual([]);
  });

  it.each([
    ['nps', 7, 'passive'],
    ['nps', 8, 'passive'],
    ['nps', 6, 'detractor'],
    ['nps', 0, 'detractor'],
    ['nps', 9, 'promoter'],
    ['csat', 5, 'satisfied'],
    ['csat', 4, 'satisfied'],
    ['csat', 3, 'neutral'],
    ['csat', 2, 'dissatisfied'],
    ['csat', 1, 'dissatisfied'],
  ])('a %s answer of %i is %s', async (kind, score, segment) => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/survey-responses', { id: 's-1', customerId: 'c', kind, score });
    expect(res.status).toBe(201);
    expect(res.body.segment).toBe(segment);
    expect(res.body.awarded).toEqual([]);
    const alerts = [
      ...(await eventsOf(m, 'customer.promoter')),
      ...(await eventsOf(m, 'feedback.detractor')),
    ];
    expect(alerts).toHaveLength(segment === 'promoter' || segment === 'detractor' ? 1 : 0);
  });

  it('replays the first result for the same answer and awards nothing new', async () => {
    const m = await surveyShop();
    const body = nps('s-1', 'cy', 9, { comment: 'Good' });
    const first = await m.api.post('/v1/survey-responses', body);
    clock.advance(1_000);
    const again = await m.api.post('/v1/survey-responses', body);
    expect(again.status).toBe(200);
    expect(again.body.response).toEqual(first.body.response);
    expect(again.body.segment).toBe('promoter');
    expect(again.body.referralInvite).toEqual(first.body.referralInvite);
    expect(again.body.awarded.map((e: { id: string }) => e.id).sort()).toEqual(
      first.body.awarded.map((e: { id: string }) => e.id).sort(),
    );
    expect((await customer(m, 'cy')).points.available).toBe(75);
    expect(await eventsOf(m, 'customer.promoter')).toHaveLength(1);
  });

  it('refuses the same id with different content (409 conflict) and changes nothing', async () => {
    const m = await surveyShop();
    await m.api.post('/v1/survey-responses', nps('s-1', 'dee', 9));
    expectProblem(await m.api.post('/v1/survey-responses', nps('s-1', 'dee', 2)), 409, 'conflict');
    expectProblem(
      await m.api.post('/v1/survey-responses', { ...nps('s-1', 'dee', 9), kind: 'csat', score: 5 }),
      409,
      'conflict',
    );
    const dee = await customer(m, 'dee');
    expect(dee.latestNps).toBe(9);
    expect(dee.points.available).toBe(75);
  });

  it("keeps the customer's latest NPS by answer time: a backdated answer never overwrites a newer one", async () => {
    const m = await createMerchant(t);
    await m.api.post('/v1/survey-responses', nps('s-1', 'eve', 4, { respondedAt: at(10) }));
    expect((await customer(m, 'eve')).latestNps).toBe(4);
    await m.api.post('/v1/survey-responses', nps('s-2', 'eve', 10, { respondedAt: at(30) }));
    expect((await customer(m, 'eve')).latestNps).toBe(4);
    await m.api.post('/v1/survey-responses', { id: 's-3', customerId: 'eve', kind: 'csat', score: 1 });
    expect((await customer(m, 'eve')).latestNps).toBe(4);
    await m.api.post('/v1/survey-responses', nps('s-4', 'eve', 8, { respondedAt: at(1) }));
    expect((await customer(m, 'eve')).latestNps).toBe(8);
    // The same instant: the greater id is the latest, as in the insights.
    await m.api.post('/v1/survey-responses', nps('s-6', 'eve', 2, { respondedAt: at(1) }));
    await m.api.post('/v1/survey-responses', nps('s-5', 'eve', 7, { respondedAt: at(1) }));
    expect((await customer(m, 'eve')).latestNps).toBe(2);
  });

  it.each([
    [{ score: 11 }, 'score'],
    [{ score: -1 }, 'score'],
    [{ score: 8.5 }, 'score'],
    [{ score: '9' }, 'score'],
    [{ kind: 'csat', score: 0 }, 'score'],
    [{ kind: 'csat', score: 6 }, 'score'],
    [{ kind: 'ces' }, 'kind'],
    [{ id: '' }, 'id'],
    [{ customerId: 'has space' }, 'customerId'],
    [{ respondedAt: 'yesterday' }, 'respondedAt'],
    [{ points: 100 }, 'points'],
  ])('refuses %j naming %s', async (patch, path) => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/survey-responses', { ...nps('s-1', 'fay', 9), ...patch });
    expect(
      expectProblem(res, 400, 'validation-failed').errors.map((e: { path: string }) => e.path),
    ).toContain(path);
  });

  it('refuses a comment over 10 000 characters naming comment', async () => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/survey-responses', {
      ...nps('s-1', 'fay', 9),
      comment: 'x'.repeat(10_001),
    });
    expect(paths(expectProblem(res, 400, 'validation-failed'))).toEqual(['comment']);
  });

  it.each(['id', 'customerId', 'kind', 'score'])('requires %s', async (field) => {
    const m = await createMerchant(t);
    const body: Record<string, unknown> = nps('s-1', 'gil', 9);
    delete body[field];
    const res = await m.api.post('/v1/survey-responses', body);
    expect(expectProblem(res, 400).errors.map((e: { path: string }) => e.path)).toContain(field);
  });
});

describe('POST /v1/survey-responses security', () => {
  it('needs credentials (401) and a secret key (403 for a publishable key)', async () => {
    const m = await createMerchant(t);
    expectProblem(await m.anon.post('/v1/survey-responses', nps('s-1', 'x', 9)), 401);
    expectProblem(await m.api.as(m.publishableKey).post('/v1/survey-responses', nps('s-1', 'x', 9)), 403);
  });

  it("accepts a server-scoped key, and keeps each merchant's answers apart", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const key = await a.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
    const server = new Api(t.app, key.body.key);
    expect((await server.post('/v1/survey-responses', nps('s-1', 'hal', 9))).status).toBe(201);
    // The same ids at another merchant are a different answer and customer.
    const other = await b.api.post('/v1/survey-responses', nps('s-1', 'hal', 2));
    expect(other.status).toBe(201);
    expect(other.body.segment).toBe('detractor');
    expect((await customer(a, 'hal')).latestNps).toBe(9);
    expect((await customer(b, 'hal')).latestNps).toBe(2);
  });
});
