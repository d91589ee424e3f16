import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { Api, createMerchant, expectProblem, operatorApi } from './helpers/client';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});

describe('POST /v1/merchants', () => {
  it('creates a merchant and returns its keys once', async () => {
    const res = await operatorApi(t).post('/v1/merchants', {
      name: 'Acme',
      currency: 'USD',
      timezone: 'America/New_York',
    });
    expect(res.status).toBe(201);
    expect(res.body.merchant).toMatchObject({ name: 'Acme', currency: 'USD', timezone: 'America/New_York' });
    expect(res.body.secretKey).toMatch(/^sk_[A-Za-z0-9]{32}$/);
    expect(res.body.publishableKey).toMatch(/^pk_[A-Za-z0-9]{32}$/);
    const me = await new Api(t.app, res.body.secretKey).get('/v1/merchant');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.merchant.id);
  });

  it.each([
    [{ name: '', currency: 'EUR', timezone: 'UTC' }, 'name'],
    [{ name: 'x', currency: 'EURO', timezone: 'UTC' }, 'currency'],
    [{ name: 'x', currency: 'XYZ', timezone: 'UTC' }, 'currency'],
    [{ name: 'x', currency: 'EUR', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ currency: 'EUR', timezone: 'UTC' }, 'name'],
    [{ name: 'x', currency: 'EUR', timezone: 'UTC', extra: true }, 'extra'],
  ])('refuses %j naming the field %s', async (body, field) => {
    const problem = expectProblem(await operatorApi(t).post('/v1/merchants', body), 400, 'validation-failed');
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it('needs the operator token: none → 401, a merchant key → 403', async () => {
    const m = await createMerchant(t);
    expectProblem(
      await m.anon.post('/v1/merchants', { name: 'x', currency: 'EUR', timezone: 'UTC' }),
      401,
      'unauthorized',
    );
    expectProblem(
      await m.api.post('/v1/merchants', { name: 'x', currency: 'EUR', timezone: 'UTC' }),
      403,
      'forbidden',
    );
  });
});
