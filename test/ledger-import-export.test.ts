import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { createMerchant, expectProblem } from './helpers/client';
import { ledgerViolations } from './helpers/invariants';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});

const csv = (lines: string[]) => lines.join('\n');
const importCsv = (api: ReturnType<typeof Object>, batch: string, body: string) =>
  (api as any).request('POST', `/v1/imports/balances?batchId=${batch}`, body, { 'content-type': 'text/csv' });

describe('POST /v1/imports/balances', () => {
  it('imports opening balances, creates customers, reports bad rows by line, and never imports a batch twice', async () => {
    const m = await createMerchant(t);
    const body = csv([
      'customerId,points,email,name,earnedAt',
      'c-1,120,one@example.com,"Doe, Jane",2026-01-15T10:00:00Z',
      'c-2,30,,,',
      'c-3,-5,,,',
      'c-4,abc,,,',
      ',10,,,',
    ]);
    const first = await importCsv(m.api, 'b1', body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ batchId: 'b1', imported: 2, skipped: 0, failed: 3 });
    expect(first.body.errors.map((e: { line: number }) => e.line)).toEqual([4, 5, 6]);
    const c1 = await m.api.get('/v1/customers/c-1');
    expect(c1.body).toMatchObject({ email: 'one@example.com', name: 'Doe, Jane' });
    expect(c1.body.points).toMatchObject({ available: 120, lifetimeEarned: 120 });
    const again = await importCsv(m.api, 'b1', body);
    expect(again.body).toMatchObject({ imported: 0, skipped: 2 });
    expect((await m.api.get('/v1/customers/c-1')).body.points.available).toBe(120);
    const ledger = await m.api.get('/v1/customers/c-1/ledger');
    expect(ledger.body.data[0]).toMatchObject({
      kind: 'import',
      points: 120,
      occurredAt: '2026-01-15T10:00:00.000Z',
    });
    expect(await ledgerViolations(t.db, m.id)).toEqual([]);
  });

  it('refuses a file without the required header, and a missing batch id', async () => {
    const m = await createMerchant(t);
    const problem = expectProblem(await importCsv(m.api, 'b1', 'id,amount\nx,1'), 400, 'validation-failed');
    expect(problem.errors[0].path).toBe('body');
    const noBatch = await m.api.request('POST', '/v1/imports/balances', 'customerId,points\nx,1', {
      'content-type': 'text/csv',
    });
    expect(expectProblem(noBatch, 400).errors[0].path).toBe('batchId');
  });

  it('is for admin keys only', async () => {
    const m = await createMerchant(t);
    const server = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
    expectProblem(await importCsv(m.api.as(server.body.key), 'b1', 'customerId,points\nx,1'), 403);
    expectProblem(await importCsv(m.anon, 'b1', 'customerId,points\nx,1'), 401);
  });
});

describe('GET /v1/ledger/export', () => {
  it('streams every entry of the merchant as NDJSON or CSV, in write order, and nothing of another merchant', async () => {
    const m = await createMerchant(t);
    const other = await createMerchant(t);
    const rows = ['customerId,points', ...Array.from({ length: 30 }, (_, i) => `c-${i},${i + 1}`)];
    await importCsv(m.api, 'b1', csv(rows));
    await importCsv(other.api, 'b1', csv(['customerId,points', 'x,5']));
    const nd = await m.api.get('/v1/ledger/export?format=ndjson');
    expect(nd.status).toBe(200);
    const lines = (nd.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(30);
    expect(lines.map((l) => l.points)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(lines.every((l) => l.customerId !== 'x')).toBe(true);
    const csvRes = await m.api.get('/v1/ledger/export?format=csv&customerId=c-3');
    expect(csvRes.headers.get('content-type')).toContain('text/csv');
    const [header, row, ...rest] = (csvRes.body as string).trim().split('\n');
    expect(header).toContain('id,customerId,kind,points');
    expect(row).toContain(',c-3,import,4,');
    expect(rest).toEqual([]);
  });
});
