import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../db/schema';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';

let t: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  t = await createTestApp({ clock });
});

const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);

async function newKey(m: TestMerchant, body: Record<string, unknown>) {
  const res = await m.api.post('/v1/api-keys', body);
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string; prefix: string; kind: string; scopes: string[] };
}

/** The id of the merchant's default admin key, found by its prefix. */
async function defaultSecretKeyId(m: TestMerchant): Promise<string> {
  const list = await m.api.get('/v1/api-keys');
  return list.body.data.find((k: { prefix: string }) => m.secretKey.startsWith(k.prefix)).id;
}

describe('POST /v1/api-keys', () => {
  it('creates a secret key with the server scope by default, shows it once, and it works at once', async () => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/api-keys', { kind: 'secret', name: 'Checkout backend' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'secret',
      scopes: ['server'],
      name: 'Checkout backend',
      revokedAt: null,
    });
    expect(res.body.id).toMatch(/^key_/);
    expect(res.body.key).toMatch(/^sk_[A-Za-z0-9]{32}$/);
    expect(res.body.key.startsWith(res.body.prefix)).toBe(true);
    expect(res.body.prefix.length).toBeLessThan(16);
    expect(res.body).not.toHaveProperty('hash');

    const server = new Api(t.app, res.body.key);
    expect((await server.put('/v1/customers/c1', { name: 'Ann' })).status).toBe(200);
  });

  it('creates a publishable key with no scopes', async () => {
    const m = await createMerchant(t);
    const key = await newKey(m, { kind: 'publishable' });
    expect(key.key).toMatch(/^pk_[A-Za-z0-9]{32}$/);
    expect(key).toMatchObject({ kind: 'publishable', scopes: [] });
  });

  it('creates an admin-scoped secret key that may change settings', async () => {
    const m = await createMerchant(t);
    const key = await newKey(m, { kind: 'secret', scopes: ['admin'] });
    expect(key.scopes).toEqual(['admin']);
    const admin = new Api(t.app, key.key);
    expect((await admin.patch('/v1/merchant', { pendingDays: 7 })).status).toBe(200);
    // An admin key has server rights too.
    expect((await admin.put('/v1/customers/c1', {})).status).toBe(200);
  });

  describe.each([
    ['scopes on a publishable key', { kind: 'publishable', scopes: ['server'] }, 'scopes'],
    ['an unknown kind', { kind: 'root' }, 'kind'],
    ['no kind', { name: 'x' }, 'kind'],
    ['an empty scope list', { kind: 'secret', scopes: [] }, 'scopes'],
    ['an unknown scope', { kind: 'secret', scopes: ['owner'] }, 'scopes.0'],
    ['scopes that are not a list', { kind: 'secret', scopes: 'admin' }, 'scopes'],
    ['an empty name', { kind: 'secret', name: '  ' }, 'name'],
    ['a name over 100 characters', { kind: 'secret', name: 'n'.repeat(101) }, 'name'],
    ['an unknown field', { kind: 'secret', hash: 'abc' }, 'hash'],
  ])('refuses %s', (_label, body, field) => {
    it(`with 400 naming \`${field}\`, and creates nothing`, async () => {
      const m = await createMerchant(t);
      const problem = expectProblem(await m.api.post('/v1/api-keys', body), 400, 'validation-failed');
      expect(paths(problem)).toContain(field);
      expect((await m.api.get('/v1/api-keys')).body.data).toHaveLength(2);
    });
  });
});

describe('GET /v1/api-keys', () => {
  it('lists every key by prefix only: never the key, never its hash', async () => {
    const m = await createMerchant(t);
    const created = await newKey(m, { kind: 'secret', name: 'Reporting' });
    const res = await m.api.get('/v1/api-keys');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(3);
    expect(res.body.nextCursor).toBeNull();
    const listed = res.body.data.find((k: { id: string }) => k.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      kind: 'secret',
      scopes: ['server'],
      name: 'Reporting',
      prefix: created.prefix,
      createdAt: expect.any(String),
      revokedAt: null,
    });

    const [stored] = await t.db
      .select({ hash: apiKeys.hash })
      .from(apiKeys)
      .where(and(eq(apiKeys.merchantId, m.id), eq(apiKeys.id, created.id)));
    const text = JSON.stringify(res.body);
    for (const secret of [created.key, m.secretKey, m.publishableKey, stored!.hash]) {
      expect(text).not.toContain(secret);
    }
  });

  it('pages through keys without repeating one', async () => {
    const m = await createMerchant(t);
    await newKey(m, { kind: 'secret' });
    await newKey(m, { kind: 'publishable' });
    const first = await m.api.get('/v1/api-keys?limit=3');
    expect(first.body.data).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await m.api.get(`/v1/api-keys?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((k: { id: string }) => k.id);
    expect(new Set(ids).size).toBe(4);
  });

  it("shows only the calling merchant's keys", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const aKey = await newKey(a, { kind: 'secret' });
    const listed = (await b.api.get('/v1/api-keys')).body.data.map((k: { id: string }) => k.id);
    expect(listed).toHaveLength(2);
    expect(listed).not.toContain(aKey.id);
  });
});

describe('scopes', () => {
  it('a server-scoped key gets 403 on admin routes and 200 on server routes', async () => {
    const m = await createMerchant(t);
    const server = new Api(t.app, (await newKey(m, { kind: 'secret', scopes: ['server'] })).key);
    expectProblem(await server.get('/v1/merchant'), 403, 'forbidden');
    expectProblem(await server.patch('/v1/merchant', { pendingDays: 3 }), 403, 'forbidden');
    expectProblem(await server.get('/v1/api-keys'), 403, 'forbidden');
    expectProblem(await server.post('/v1/api-keys', { kind: 'secret', scopes: ['admin'] }), 403, 'forbidden');
    expectProblem(await server.get('/v1/audit-log'), 403, 'forbidden');
    expect((await server.put('/v1/customers/x', { name: 'X' })).status).toBe(200);
    expect((await server.get('/v1/customers/x')).status).toBe(200);
    expect((await server.get('/v1/customers')).status).toBe(200);
    // The refused PATCH and key creation changed nothing.
    expect((await m.api.get('/v1/merchant')).body.pendingDays).toBe(0);
    expect((await m.api.get('/v1/api-keys')).body.data).toHaveLength(3);
  });

  it('a publishable key gets 403 on secret routes', async () => {
    const m = await createMerchant(t);
    const browser = new Api(t.app, m.publishableKey);
    expectProblem(await browser.get('/v1/api-keys'), 403, 'forbidden');
    expectProblem(await browser.post('/v1/api-keys', { kind: 'secret' }), 403, 'forbidden');
    expectProblem(await browser.get('/v1/merchant'), 403, 'forbidden');
    expectProblem(await browser.put('/v1/customers/x', {}), 403, 'forbidden');
    expectProblem(await browser.get('/v1/customers'), 403, 'forbidden');
  });

  it('no key, a malformed header, or an unknown key gets 401', async () => {
    const m = await createMerchant(t);
    expectProblem(await m.anon.get('/v1/api-keys'), 401, 'unauthorized');
    expectProblem(await m.anon.post('/v1/api-keys', { kind: 'secret' }), 401, 'unauthorized');
    expectProblem(await m.anon.get('/v1/api-keys', { authorization: m.secretKey }), 401, 'unauthorized');
    expectProblem(
      await m.anon.get('/v1/api-keys', { authorization: `Basic ${btoa('a:b')}` }),
      401,
      'unauthorized',
    );
    expectProblem(await new Api(t.app, `sk_${'A'.repeat(32)}`).get('/v1/api-keys'), 401, 'unauthorized');
  });
});

describe('DELETE /v1/api-keys/{id}', () => {
  it('revokes a key: it is refused with 401 on the very next request', async () => {
    const m = await createMerchant(t);
    const key = await newKey(m, { kind: 'secret' });
    const server = new Api(t.app, key.key);
    // Used once first, so the resolver has it cached.
    expect((await server.get('/v1/customers')).status).toBe(200);

    expect((await m.api.delete(`/v1/api-keys/${key.id}`)).status).toBe(204);
    expectProblem(await server.get('/v1/customers'), 401, 'unauthorized');
    const listed = (await m.api.get('/v1/api-keys')).body.data.find((k: { id: string }) => k.id === key.id);
    expect(listed.revokedAt).toEqual(expect.any(String));
    // The other keys keep working.
    expect((await m.api.get('/v1/customers')).status).toBe(200);
  });

  it('revokes a publishable key', async () => {
    const m = await createMerchant(t);
    const key = await newKey(m, { kind: 'publishable' });
    const browser = new Api(t.app, key.key);
    expectProblem(await browser.get('/v1/customers'), 403, 'forbidden');
    expect((await m.api.delete(`/v1/api-keys/${key.id}`)).status).toBe(204);
    expectProblem(await browser.get('/v1/customers'), 401, 'unauthorized');
  });

  it('revoking twice answers 204 both times and keeps the first revocation time', async () => {
    const m = await createMerchant(t);
    const key = await newKey(m, { kind: 'secret' });
    expect((await m.api.delete(`/v1/api-keys/${key.id}`)).status).toBe(204);
    const find = async () =>
      (await m.api.get('/v1/api-keys')).body.data.find((k: { id: string }) => k.id === key.id);
    const first = (await find()).revokedAt;
    clock.advance(1_000);
    expect((await m.api.delete(`/v1/api-keys/${key.id}`)).status).toBe(204);
    expect((await find()).revokedAt).toBe(first);
  });

  it("answers 404 for another merchant's key, which keeps working", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const aKey = await newKey(a, { kind: 'secret' });
    expectProblem(await b.api.delete(`/v1/api-keys/${aKey.id}`), 404, 'not-found');
    expect((await new Api(t.app, aKey.key).get('/v1/customers')).status).toBe(200);
  });

  it('answers 404 for an unknown id', async () => {
    const m = await createMerchant(t);
    expectProblem(await m.api.delete('/v1/api-keys/key_doesnotexist'), 404, 'not-found');
  });

  it('needs the admin scope: none → 401, server key → 403, publishable → 403', async () => {
    const m = await createMerchant(t);
    const victim = await newKey(m, { kind: 'secret' });
    const server = new Api(t.app, (await newKey(m, { kind: 'secret', scopes: ['server'] })).key);
    expectProblem(await m.anon.delete(`/v1/api-keys/${victim.id}`), 401, 'unauthorized');
    expectProblem(await server.delete(`/v1/api-keys/${victim.id}`), 403, 'forbidden');
    expectProblem(
      await new Api(t.app, m.publishableKey).delete(`/v1/api-keys/${victim.id}`),
      403,
      'forbidden',
    );
    expect((await new Api(t.app, victim.key).get('/v1/customers')).status).toBe(200);
  });
});

describe('audit log', () => {
  it('records key creation and revocation, newest first, with the acting key and request id', async () => {
    const m = await createMerchant(t);
    const actor = `key:${await defaultSecretKeyId(m)}`;
    const created = await m.api.post(
      '/v1/api-keys',
      { kind: 'secret', scopes: ['admin'] },
      { 'x-request-id': 'req-create-1' },
    );
    expect(
      (await m.api.delete(`/v1/api-keys/${created.body.id}`, { 'x-request-id': 'req-revoke-1' })).status,
    ).toBe(204);
    // A second revocation changes nothing, so it is not audited again.
    await m.api.delete(`/v1/api-keys/${created.body.id}`);

    const log = await m.api.get('/v1/audit-log');
    expect(log.status).toBe(200);
    expect(log.body.data).toHaveLength(2);
    expect(log.body.data[0]).toMatchObject({
      actor,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: created.body.id,
      requestId: 'req-revoke-1',
    });
    expect(log.body.data[1]).toMatchObject({
      actor,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: created.body.id,
      requestId: 'req-create-1',
      changes: { kind: 'secret', scopes: ['admin'], prefix: created.body.prefix },
    });
    expect(JSON.stringify(log.body)).not.toContain(created.body.key);
  });

  it('lists changes made within the same millisecond in the order they were made', async () => {
    // A stopped clock: every change gets the same timestamp, so only the ids can order them.
    const frozen = await createTestApp({ clock: new TestClock(new Date('2030-01-01T00:00:00Z')) });
    const m = await createMerchant(frozen);
    for (let i = 1; i <= 8; i++) await m.api.patch('/v1/merchant', { pendingDays: i });
    const log = await m.api.get('/v1/audit-log');
    expect(log.body.data.map((e: { changes: any }) => e.changes.after.pendingDays)).toEqual([
      8, 7, 6, 5, 4, 3, 2, 1,
    ]);
  });

  it('records a settings change with the values before and after', async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { pendingDays: 14, refundPolicy: 'forgive' });
    const [entry] = (await m.api.get('/v1/audit-log')).body.data;
    expect(entry).toMatchObject({ action: 'merchant.updated', targetType: 'merchant', targetId: m.id });
    expect(entry.changes.before).toMatchObject({ pendingDays: 0, refundPolicy: 'debt' });
    expect(entry.changes.after).toMatchObject({ pendingDays: 14, refundPolicy: 'forgive' });
  });

  it('does not record a refused change', async () => {
    const m = await createMerchant(t);
    await m.api.patch('/v1/merchant', { pendingDays: -1 });
    await m.api.post('/v1/api-keys', { kind: 'publishable', scopes: ['admin'] });
    expect((await m.api.get('/v1/audit-log')).body.data).toEqual([]);
  });

  it("is per merchant: one merchant never sees another's entries", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    await newKey(a, { kind: 'secret' });
    await a.api.patch('/v1/merchant', { pendingDays: 2 });
    expect((await a.api.get('/v1/audit-log')).body.data).toHaveLength(2);
    expect((await b.api.get('/v1/audit-log')).body.data).toEqual([]);
  });

  it('pages with a cursor and refuses a forged one', async () => {
    const m = await createMerchant(t);
    for (let i = 1; i <= 3; i++) await m.api.patch('/v1/merchant', { pendingDays: i });
    const first = await m.api.get('/v1/audit-log?limit=2');
    expect(first.body.data.map((e: { changes: any }) => e.changes.after.pendingDays)).toEqual([3, 2]);
    const second = await m.api.get(`/v1/audit-log?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((e: { changes: any }) => e.changes.after.pendingDays)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
    const problem = expectProblem(
      await m.api.get('/v1/audit-log?cursor=not-a-cursor'),
      400,
      'validation-failed',
    );
    expect(paths(problem)).toContain('cursor');
  });
});
